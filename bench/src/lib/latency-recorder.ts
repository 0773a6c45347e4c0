/**
 * Collects every response time (ms, float) of a load run. autocannon's own histogram has 1 ms
 * resolution, too coarse for sub-millisecond latencies on loopback, so percentiles come from here.
 */
export interface LatencyRecorder {
  record(milliseconds: number): void
  /** Sorts once; call after the run. */
  percentile(q: number): number
  readonly count: number
}

export function createLatencyRecorder(initialCapacity = 1 << 18): LatencyRecorder {
  let samples = new Float64Array(initialCapacity)
  let count = 0
  let sorted = false
  return {
    record(milliseconds) {
      if (count === samples.length) {
        const grown = new Float64Array(samples.length * 2)
        grown.set(samples)
        samples = grown
      }
      samples[count++] = milliseconds
      sorted = false
    },
    percentile(q) {
      if (count === 0) return Number.NaN
      const view = samples.subarray(0, count)
      if (!sorted) {
        view.sort()
        sorted = true
      }
      const index = Math.min(count - 1, Math.max(0, Math.ceil(q * count) - 1))
      return view[index] as number
    },
    get count() {
      return count
    },
  }
}
