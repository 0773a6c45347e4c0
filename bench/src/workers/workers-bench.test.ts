// How `pnpm bench workers` splits a round's CPU among the processes of `servey start`: the
// primary's part per answer, and how evenly the workers shared the load.
import { expect, it } from 'vitest'
import { aboveCeiling, coresBusy, processShares, throughputCeiling } from './workers-bench.ts'

it('gives the primary its CPU per answer and the busier worker its share', () => {
  // CPU before and after the round, in µs: the primary first, then the two workers.
  const shares = processShares(2, [1_000, 50_000, 60_000], [1_500, 650_000, 460_000], 25_000)
  expect(shares.primaryCpuMicrosPerRequest).toBe(500 / 25_000)
  expect(shares.busiestWorkerShare).toBe(600_000 / 1_000_000)
})

it('has no primary with one worker, which then does all the work', () => {
  const shares = processShares(1, [10_000], [900_000], 20_000)
  expect(shares.primaryCpuMicrosPerRequest).toBeNaN()
  expect(shares.busiestWorkerShare).toBe(1)
})

it('gives no share when the workers used no CPU, instead of dividing by zero', () => {
  const shares = processShares(2, [0, 5, 5], [0, 5, 5], 0)
  expect(shares.primaryCpuMicrosPerRequest).toBe(0)
  expect(shares.busiestWorkerShare).toBeNaN()
})

it('counts the cores a side kept busy from its req/s and CPU per request', () => {
  const cores = coresBusy({
    rounds: [],
    requestsPerSecond: 40_000,
    p50Ms: 1,
    p99Ms: 2,
    spread: 0,
    cpuMicrosPerRequest: 37.5,
    clientCpuMicrosPerRequest: 9,
  })
  expect(cores.servers).toBe(1.5)
  expect(cores.client).toBe(0.36)
})

it('bounds the ratio by the main thread of one worker against what two and the client cost', () => {
  const twoWorkers = {
    rounds: [],
    requestsPerSecond: 40_000,
    p50Ms: 1,
    p99Ms: 2,
    spread: 0,
    cpuMicrosPerRequest: 36,
    clientCpuMicrosPerRequest: 8,
  }
  // 2 cores: 2 × 33 / (36 + 8) = 1.5
  expect(throughputCeiling(33, twoWorkers, 2)).toBeCloseTo(1.5, 12)
  // a client twice as costly lowers it: 66 / 52
  expect(throughputCeiling(33, { ...twoWorkers, clientCpuMicrosPerRequest: 16 }, 2)).toBeCloseTo(
    66 / 52,
    12,
  )
  // with cores to spare, two workers can at most double one
  expect(throughputCeiling(33, twoWorkers, 8)).toBe(2)
})

it('refuses a ratio above its ceiling as a verdict (the machine was not quiet)', () => {
  // 03:33 UTC under load: 2.05x measured against a 1.53x ceiling
  expect(aboveCeiling({ throughputRatio: 2.052, ceiling: 1.532 })).toBe(true)
  expect(aboveCeiling({ throughputRatio: 1.33, ceiling: 1.52 })).toBe(false)
  // within rounding of the ceiling is still a reading
  expect(aboveCeiling({ throughputRatio: 1.55, ceiling: 1.52 })).toBe(false)
})
