import { execFileSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HEAP_PROBE, readHeapAfterGc } from './heap-after-gc.ts'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'heap-probe-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** A real Node process with the probe preloaded, as the soak starts the server. */
function runWithProbe(script: string, env: NodeJS.ProcessEnv): void {
  execFileSync(process.execPath, ['--expose-gc', '--import', HEAP_PROBE, '-e', script], {
    env: { PATH: process.env['PATH'], ...env },
  })
}

describe('heap probe', () => {
  it('records the heap that survives each major collection, in the order they ran', () => {
    const file = join(dir, 'heap')
    const before = Date.now()
    // 5 MB kept across the second collection and dropped before the third. The probe reads the
    // heap when its observer runs, after the collection's turn of the event loop: each
    // collection gets a turn of its own, as a server's do.
    runWithProbe(
      `const later = (f) => setTimeout(f, 50);
       globalThis.gc();
       later(() => {
         globalThis.kept = Array.from({ length: 5e5 }, (_, i) => ({ i }));
         globalThis.gc();
         later(() => { globalThis.kept = undefined; globalThis.gc(); later(() => {}) });
       })`,
      { SOAK_HEAP_FILE: file },
    )
    const records = readHeapAfterGc(file, before)
    expect(records.length).toBeGreaterThanOrEqual(3)
    // Allocating the 5 MB may start a major collection of its own, so compare the extremes.
    const used = records.map((record) => record.usedBytes)
    const kept = Math.max(...used)
    expect(kept - (used[0] as number)).toBeGreaterThan(5e6)
    expect(kept - (used.at(-1) as number)).toBeGreaterThan(5e6)
    for (const record of records) {
      expect(record.atSeconds).toBeGreaterThanOrEqual(0)
      expect(record.atSeconds).toBeLessThan(60)
    }
  })

  it('writes nothing when SOAK_HEAP_FILE is not set', () => {
    runWithProbe('globalThis.gc(); setTimeout(() => {}, 50)', { SOAK_HEAP_DIR_UNUSED: dir })
    expect(readHeapAfterGc(join(dir, 'heap'), 0)).toEqual([])
  })
})

describe('readHeapAfterGc', () => {
  it('reads complete lines only, timed from the start', () => {
    const file = join(dir, 'heap')
    writeFileSync(file, '11000 4000000\n12500 4100000\n')
    appendFileSync(file, '13000 42')
    expect(readHeapAfterGc(file, 10_000)).toEqual([
      { atSeconds: 1, usedBytes: 4_000_000 },
      { atSeconds: 2.5, usedBytes: 4_100_000 },
    ])
  })

  it('refuses a line it cannot read rather than dropping it', () => {
    const file = join(dir, 'heap')
    writeFileSync(file, '11000 four\n')
    expect(() => readHeapAfterGc(file, 0)).toThrow(/unreadable line/)
  })
})
