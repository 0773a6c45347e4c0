import { describe, expect, it } from 'vitest'
import type { HeapAfterGc } from './heap-after-gc.ts'
import { DEFAULT_SOAK_SETTINGS, verdictOf, type SoakSample } from './soak.ts'

const MB = 2 ** 20
const settings = { ...DEFAULT_SOAK_SETTINGS, minutes: 30, warmupMinutes: 5 }

/** One sample every 10 s for 30 minutes; `rss(t)` in MB. */
function samples(rss: (atSeconds: number) => number): SoakSample[] {
  return Array.from({ length: 180 }, (_, index) => {
    const atSeconds = (index + 1) * 10
    return {
      atSeconds,
      rssBytes: rss(atSeconds) * MB,
      heapAfterGcBytes: undefined,
      fds: 112,
      redisKeys: 740,
      cpuSeconds: atSeconds / 2,
      framesReceived: atSeconds * 500,
      loadAverage: 1,
    }
  })
}

/** A major collection every 100 s; `used(t)` in MB. */
function collections(used: (atSeconds: number) => number): HeapAfterGc[] {
  return Array.from({ length: 18 }, (_, index) => {
    const atSeconds = (index + 1) * 100
    return { atSeconds, usedBytes: used(atSeconds) * MB }
  })
}

describe('the soak verdict', () => {
  it('passes a collection that hands pages back: RSS dips 17 %, the heap it holds does not', () => {
    const verdict = verdictOf(
      samples((t) => (t === 460 ? 134 : 162)),
      collections((t) => 41 + (t % 300 === 0 ? 0.8 : 0)),
      settings,
    )
    expect(verdict.rssOk).toBe(false)
    expect(verdict.rssDeviation).toBeCloseTo(28 / 162, 3)
    expect(verdict.heapBandOk).toBe(true)
    expect(verdict.heapMedianBytes).toBe(41 * MB)
    expect(verdict.heapDeviation).toBeCloseTo(0.8 / 41, 3)
    expect(verdict.trendOk).toBe(true)
  })

  it('fails a heap that leaves the band, and a leak that grows', () => {
    const leak = verdictOf(
      samples((t) => 160 + t / 60),
      collections((t) => 40 + t / 100),
      settings,
    )
    // 43 MB at 5 min to 58 MB at 30 min: past ±10 % of the median, and a slope far over +2 %.
    expect(leak.heapBandOk).toBe(false)
    expect(leak.trendOk).toBe(false)
  })

  it('fails a heap that leaves the band once, though neither trend grows', () => {
    // One collection leaves 25 % more than the others: no slope, but out of the band.
    const verdict = verdictOf(
      samples(() => 162),
      collections((t) => (t === 1200 ? 51.25 : 41)),
      settings,
    )
    expect(verdict.trendOk).toBe(true)
    expect(verdict.heapDeviation).toBeCloseTo(0.25, 3)
    expect(verdict.heapBandOk).toBe(false)
  })

  it('judges no band from fewer collections than a trend needs', () => {
    const verdict = verdictOf(
      samples(() => 162),
      collections((t) => (t === 600 ? 80 : 41)).slice(5, 6),
      settings,
    )
    expect(verdict.heapBandOk).toBe(true)
    expect(verdict.heapTrend.judged).toBe(false)
  })
})
