import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The preload that writes the server's heap after every major collection (heap-probe.js). */
export const HEAP_PROBE = fileURLToPath(new URL('./heap-probe.js', import.meta.url))

export interface HeapAfterGc {
  /** Seconds since `startedMs`. */
  readonly atSeconds: number
  readonly usedBytes: number
}

/**
 * The heap-probe file's records, timed from `startedMs`. No file yet is no collection yet; a
 * last line without its newline is a record still being written, so it is left for later.
 */
export function readHeapAfterGc(file: string, startedMs: number): HeapAfterGc[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  const complete = text.slice(0, text.lastIndexOf('\n') + 1)
  const records: HeapAfterGc[] = []
  for (const line of complete.split('\n')) {
    if (line === '') continue
    const [at, used] = line.split(' ').map(Number)
    if (!Number.isFinite(at) || !Number.isFinite(used)) {
      throw new Error(`heap probe: unreadable line '${line}' in ${file}`)
    }
    records.push({ atSeconds: ((at as number) - startedMs) / 1000, usedBytes: used as number })
  }
  return records
}
