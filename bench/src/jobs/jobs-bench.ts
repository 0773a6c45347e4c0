import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { median, quantile } from '../lib/stats.ts'
import { formatNumber, formatRatio, formatTable } from '../lib/table.ts'
import { runRawBullmq, type RunSettings } from './raw-bullmq.ts'
import { measureDrift } from './schedule-drift.ts'
import { runServeyJobs } from './servey-jobs.ts'

export interface JobsBenchSettings {
  readonly jobs: number
  readonly rounds: number
  readonly concurrency: number
  readonly driftIntervalMs: number
  readonly driftDurationMs: number
}

export const DEFAULT_JOBS_SETTINGS: JobsBenchSettings = {
  jobs: 10_000,
  rounds: 3,
  concurrency: 50,
  driftIntervalMs: 100,
  driftDurationMs: 10_000,
}

/** Servey must keep at least this share of raw BullMQ's throughput. */
export const JOBS_GOAL_RATIO = 0.9
/** p99 lateness of an in-process `every(100ms)`. */
export const DRIFT_GOAL_MS = 20

export interface JobsReport {
  readonly settings: JobsBenchSettings
  readonly redisUrl: string
  readonly rawMs: readonly number[]
  readonly serveyMs: readonly number[]
  /** CPU time of the bench process (client, worker and Servey; Redis excluded) per round. */
  readonly rawCpuMs: readonly number[]
  readonly serveyCpuMs: readonly number[]
  /** Servey jobs/s over raw jobs/s, from the medians. */
  readonly ratio: number
  readonly drift: {
    readonly runs: number
    readonly p50Ms: number
    readonly p99Ms: number
    readonly maxMs: number
  }
}

async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl)
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
    cursor = next
    if (keys.length > 0) await redis.del(...keys)
  } while (cursor !== '0')
  await redis.quit()
}

/**
 * `pnpm bench jobs`: the same trivial jobs through raw BullMQ and through Servey on the same
 * Redis, alternating rounds, each on a fresh key prefix; and the drift of an in-process
 * fixed-rate schedule.
 */
export async function runJobsBench(settings: JobsBenchSettings): Promise<JobsReport> {
  const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379'
  // First, on a quiet process: after 60,000 jobs the GC and closing connections of the rounds
  // would add their own pauses to the timer's lateness (measured: p99 1 ms before, 25-48 after).
  const drifts = await measureDrift(settings.driftIntervalMs, settings.driftDurationMs)
  const rawMs: number[] = []
  const serveyMs: number[] = []
  const rawCpuMs: number[] = []
  const serveyCpuMs: number[] = []
  // One untimed round each first: connections, Lua scripts and the JIT warm up.
  for (let round = -1; round < settings.rounds; round++) {
    for (const side of round % 2 === 0
      ? (['raw', 'servey'] as const)
      : (['servey', 'raw'] as const)) {
      const prefix = `servey-bench-${randomUUID().slice(0, 8)}`
      const run: RunSettings = {
        redisUrl,
        prefix,
        jobs: settings.jobs,
        concurrency: settings.concurrency,
      }
      try {
        const timing = side === 'raw' ? await runRawBullmq(run) : await runServeyJobs(run)
        if (round >= 0) {
          ;(side === 'raw' ? rawMs : serveyMs).push(timing.ms)
          ;(side === 'raw' ? rawCpuMs : serveyCpuMs).push(timing.cpuMs)
        }
        console.log(
          `jobs round ${round < 0 ? 'warmup' : round + 1} ${side}: ${timing.ms.toFixed(0)} ms, CPU ${timing.cpuMs.toFixed(0)} ms`,
        )
      } finally {
        await deleteKeys(redisUrl, prefix)
      }
    }
  }
  return {
    settings,
    redisUrl,
    rawMs,
    serveyMs,
    rawCpuMs,
    serveyCpuMs,
    ratio: median(rawMs) / median(serveyMs),
    drift: {
      runs: drifts.length,
      p50Ms: quantile(drifts, 0.5),
      p99Ms: quantile(drifts, 0.99),
      maxMs: Math.max(...drifts),
    },
  }
}

export function formatJobsReport(report: JobsReport): string {
  const { settings } = report
  const perSecond = (ms: number) => (settings.jobs / ms) * 1000
  const cpuPerJob = (values: readonly number[]) =>
    formatNumber((median(values) / settings.jobs) * 1000, 1)
  const rows = [
    [
      'raw BullMQ (Queue + Worker)',
      formatNumber(median(report.rawMs)),
      formatNumber(perSecond(median(report.rawMs))),
      cpuPerJob(report.rawCpuMs),
    ],
    [
      'Servey jobs (enqueue + invoke)',
      formatNumber(median(report.serveyMs)),
      formatNumber(perSecond(median(report.serveyMs))),
      cpuPerJob(report.serveyCpuMs),
    ],
  ]
  return [
    `Background jobs: ${formatNumber(settings.jobs)} trivial jobs, worker concurrency ${settings.concurrency}, median of ${settings.rounds} rounds, ${report.redisUrl}`,
    formatTable(['side', 'end-to-end ms', 'jobs/s', 'bench CPU µs/job'], rows),
    `ratio (Servey / raw jobs/s): ${formatRatio(report.ratio)}  goal >= ${JOBS_GOAL_RATIO}  ${report.ratio >= JOBS_GOAL_RATIO ? 'OK' : 'MISSED'}`,
    `In-process every(${settings.driftIntervalMs}ms) for ${settings.driftDurationMs / 1000} s: ${report.drift.runs} runs, drift p50 ${report.drift.p50Ms.toFixed(2)} ms, p99 ${report.drift.p99Ms.toFixed(2)} ms, max ${report.drift.maxMs.toFixed(2)} ms  goal p99 <= ${DRIFT_GOAL_MS} ms  ${report.drift.p99Ms <= DRIFT_GOAL_MS ? 'OK' : 'MISSED'}`,
  ].join('\n')
}
