import type { LoadResult } from './load.ts'
import { median, spread } from './stats.ts'

/** One measured round of one side: the load result plus the server's CPU per answer. */
export interface RoundResult extends LoadResult {
  readonly cpuMicrosPerRequest: number
  /** The machine's 1-minute load average when the round started (other work on the cores). */
  readonly loadAverage: number
}

export interface SideSummary {
  readonly rounds: readonly RoundResult[]
  /** Median of the rounds. */
  readonly requestsPerSecond: number
  /** Medians of the rounds. */
  readonly p99Ms: number
  readonly p50Ms: number
  /** (max - min) / median of the rounds' req/s. */
  readonly spread: number
  readonly cpuMicrosPerRequest: number
  /** Median of the rounds: the load generator's own CPU per answer. */
  readonly clientCpuMicrosPerRequest: number
}

export function summarizeRounds(rounds: readonly RoundResult[]): SideSummary {
  const rps = rounds.map((round) => round.requestsPerSecond)
  return {
    rounds,
    requestsPerSecond: median(rps),
    p99Ms: median(rounds.map((round) => round.p99Ms)),
    p50Ms: median(rounds.map((round) => round.p50Ms)),
    spread: spread(rps),
    cpuMicrosPerRequest: median(rounds.map((round) => round.cpuMicrosPerRequest)),
    clientCpuMicrosPerRequest: median(rounds.map((round) => round.clientCpuMicrosPerRequest)),
  }
}

/**
 * A round with any error, timeout or unexpected status measures nothing: stop the bench. Both
 * clients count the same way: `non2xx` is every answer other than a 2xx (or the expected
 * status), and wrk's socket errors (connect, read, write) are `errors`.
 */
export function checkClean<T extends LoadResult>(side: string, result: T): T {
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0 || result.responses === 0) {
    throw new Error(
      `${side}: unclean ${result.client} run (${result.responses} 2xx, ${result.non2xx} non-2xx, ` +
        `${result.errors} errors, ${result.timeouts} timeouts)`,
    )
  }
  return result
}
