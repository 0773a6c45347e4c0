// Loaded into the soak's server with `node --import` (plain JavaScript: the server runs the
// CLI's built output with no TypeScript loader). After every major collection it appends
// `<epoch ms> <V8 heap used, bytes>` to the file named by SOAK_HEAP_FILE: the heap that survived,
// which RSS cannot show (a collection may keep or hand back pages at will). The soak reads the
// file from outside; the server gets no endpoint and no code of its own for it. A major
// collection comes every few seconds at most, so the synchronous append costs nothing visible.
import { appendFileSync } from 'node:fs'
import { PerformanceObserver, constants } from 'node:perf_hooks'
import { getHeapStatistics } from 'node:v8'

const file = process.env['SOAK_HEAP_FILE']
if (file !== undefined && file !== '') {
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue
      // The observer runs on a later turn of the event loop, not inside the collection: what
      // was allocated in between is counted too, noise of a few kilobytes under the soak's
      // load (and collections that close together would all read the last one's heap).
      appendFileSync(file, `${Date.now()} ${getHeapStatistics().used_heap_size}\n`)
    }
  })
  observer.observe({ entryTypes: ['gc'] })
}
