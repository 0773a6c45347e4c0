import { readFileSync } from 'node:fs'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { runLoad, type LoadClient } from '../lib/load.ts'
import { processCpuMicros } from '../lib/process-cpu.ts'
import { checkClean, summarizeRounds, type RoundResult, type SideSummary } from '../lib/rounds.ts'
import type { ServerProcess } from '../lib/server-process.ts'
import { startServeyStart } from '../lib/servey-start-process.ts'
import { median } from '../lib/stats.ts'
import { formatNumber, formatPercent, formatRatio, formatTable } from '../lib/table.ts'
import { BENCH_ROUTES } from '../rest/routes.ts'

/**
 * `pnpm bench workers` (issue 14, point 4): `servey start` with two worker processes against
 * one, both on Redis (more than one worker needs it) and otherwise with their defaults, on the
 * REST suite's GET route, in alternating rounds. Throughput is the figure here (the point of a
 * second worker is a second core); CPU per request is every process's, the primary's included.
 * On a 2-core machine the load generator shares the cores with the workers: autocannon, in the
 * bench process, takes most of one; wrk (`--client=wrk`) far less. Each round reports the
 * client's own CPU per request so the ratio can be read with what the client took.
 */
export interface WorkersBenchSettings {
  readonly rounds: number
  readonly durationSeconds: number
  readonly warmupSeconds: number
  readonly connections: number
  readonly redisUrl: string
  /** The load generator (default autocannon); `--client`. */
  readonly client?: LoadClient
}

export const DEFAULT_WORKERS_SETTINGS: WorkersBenchSettings = {
  rounds: 3,
  durationSeconds: 5,
  warmupSeconds: 2,
  connections: 50,
  redisUrl: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
}

/** Issue 14's goal: two workers answer at least 1.5 times what one does. */
export const WORKERS_THROUGHPUT_GOAL = 1.5

const COUNTS = [1, 2] as const
type Count = (typeof COUNTS)[number]

/**
 * Where a round's CPU went among the processes of one `servey start`: whether node:cluster's
 * primary works per request, and whether the workers share the load.
 */
export interface ProcessShares {
  /** The primary's CPU per answer; NaN with one worker, which runs without a primary. */
  readonly primaryCpuMicrosPerRequest: number
  /** The busiest worker's share of the workers' CPU (1 with one worker, 0.5 when even). */
  readonly busiestWorkerShare: number
}

interface WorkersRoundResult extends RoundResult, ProcessShares {}

export interface WorkersReport {
  readonly settings: WorkersBenchSettings
  readonly route: string
  readonly sides: Readonly<Record<Count, SideSummary>>
  /** Medians of the rounds. */
  readonly processes: Readonly<Record<Count, ProcessShares>>
  /** Two workers' req/s over one's. */
  readonly throughputRatio: number
}

/** The process and its children (node:cluster's workers), from /proc. */
function processTree(pid: number): number[] {
  let children: number[] = []
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter((entry) => entry !== '')
      .map(Number)
  } catch {
    // gone
  }
  return [pid, ...children.flatMap(processTree)]
}

/** CPU time so far of each process of the tree, the primary (or the only server) first. */
const treeCpuMicros = (pids: readonly number[]): number[] =>
  pids.map((pid) => processCpuMicros(pid) ?? 0)

export function processShares(
  workers: Count,
  before: readonly number[],
  after: readonly number[],
  answers: number,
): ProcessShares {
  const used = after.map((micros, index) => micros - (before[index] ?? 0))
  if (workers === 1) return { primaryCpuMicrosPerRequest: Number.NaN, busiestWorkerShare: 1 }
  const [primary = 0, ...children] = used
  const total = children.reduce((sum, micros) => sum + micros, 0)
  return {
    primaryCpuMicrosPerRequest: primary / Math.max(1, answers),
    busiestWorkerShare: total > 0 ? Math.max(...children) / total : Number.NaN,
  }
}

async function startWith(workers: Count, settings: WorkersBenchSettings): Promise<ServerProcess> {
  const prefix = `bench-workers-${process.pid}-${workers}`
  const server = await startServeyStart({
    entry: fileURLToPath(new URL('../rest/app/actions.ts', import.meta.url)),
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    env: {
      REDIS_URL: settings.redisUrl,
      SERVEY_WORKERS: String(workers),
      SERVEY_JOBS_PREFIX: prefix,
      SERVEY_CHANNELS_PREFIX: prefix,
    },
    timeoutMs: 120_000,
  })
  // The first worker to listen answers the readiness probe; wait for every one of them.
  const deadline = Date.now() + 60_000
  while (workers > 1 && processTree(server.pid).length < workers + 1) {
    if (Date.now() > deadline) throw new Error(`servey start did not fork ${workers} workers`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  await new Promise((resolve) => setTimeout(resolve, 2_000))
  return server
}

export async function runWorkersBench(
  settings: WorkersBenchSettings,
  log: (line: string) => void = (line) => console.error(line),
): Promise<WorkersReport> {
  const route = BENCH_ROUTES.find((entry) => entry.method === 'GET')
  if (route === undefined) throw new Error('the REST suite has no GET route')
  const servers: Partial<Record<Count, ServerProcess>> = {}
  try {
    for (const count of COUNTS) servers[count] = await startWith(count, settings)
    const load = async (count: Count, durationSeconds: number): Promise<WorkersRoundResult> => {
      const server = servers[count]
      if (server === undefined) throw new Error(`no server with ${count} workers`)
      const loadAverage = os.loadavg()[0] ?? 0
      const pids = processTree(server.pid)
      const cpuBefore = treeCpuMicros(pids)
      const result = await runLoad({
        url: server.url + route.path,
        method: route.method,
        connections: settings.connections,
        durationSeconds,
        client: settings.client,
      })
      const cpuAfter = treeCpuMicros(pids)
      const sum = (values: readonly number[]) => values.reduce((total, each) => total + each, 0)
      return {
        ...result,
        cpuMicrosPerRequest: (sum(cpuAfter) - sum(cpuBefore)) / Math.max(1, result.responses),
        loadAverage,
        ...processShares(count, cpuBefore, cpuAfter, result.responses),
      }
    }
    for (const count of COUNTS) {
      checkClean(`${count} worker(s)`, await load(count, settings.warmupSeconds))
    }
    const results: Record<Count, WorkersRoundResult[]> = { 1: [], 2: [] }
    for (let round = 0; round < settings.rounds; round++) {
      const order = round % 2 === 0 ? COUNTS : [...COUNTS].reverse()
      for (const count of order) {
        const result = checkClean(`${count} worker(s)`, await load(count, settings.durationSeconds))
        results[count].push(result)
        log(
          `  round ${round + 1}/${settings.rounds} ${count} worker(s): ` +
            `${formatNumber(result.requestsPerSecond)} req/s, p99 ${result.p99Ms.toFixed(2)} ms, ` +
            `CPU ${result.cpuMicrosPerRequest.toFixed(1)} µs/req, ` +
            `${result.client} ${result.clientCpuMicrosPerRequest.toFixed(1)} µs/req, ` +
            (count === 1
              ? ''
              : `primary ${result.primaryCpuMicrosPerRequest.toFixed(2)} µs/req, ` +
                `busiest worker ${formatPercent(result.busiestWorkerShare)}, `) +
            `load ${result.loadAverage.toFixed(2)}`,
        )
      }
    }
    const sides = { 1: summarizeRounds(results[1]), 2: summarizeRounds(results[2]) }
    const shares = (rounds: readonly WorkersRoundResult[]): ProcessShares => ({
      primaryCpuMicrosPerRequest: median(rounds.map((each) => each.primaryCpuMicrosPerRequest)),
      busiestWorkerShare: median(rounds.map((each) => each.busiestWorkerShare)),
    })
    return {
      settings: { ...settings, redisUrl: settings.redisUrl.replace(/\/\/[^@/]*@/, '//***@') },
      route: route.label,
      sides,
      processes: { 1: shares(results[1]), 2: shares(results[2]) },
      throughputRatio: sides[2].requestsPerSecond / sides[1].requestsPerSecond,
    }
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.stop()))
  }
}

export function formatWorkersReport(report: WorkersReport): string {
  const row = (count: Count) => {
    const side = report.sides[count]
    return [
      `${count} worker${count === 1 ? '' : 's'}`,
      formatNumber(side.requestsPerSecond),
      `${side.p50Ms.toFixed(2)} ms`,
      `${side.p99Ms.toFixed(2)} ms`,
      `${side.cpuMicrosPerRequest.toFixed(1)} µs`,
      `${side.clientCpuMicrosPerRequest.toFixed(1)} µs`,
    ]
  }
  return [
    `servey start --workers 2 vs 1 on Redis, ${report.route} (${report.settings.rounds} rounds × ` +
      `${report.settings.durationSeconds} s, ${report.settings.connections} connections, ` +
      `${report.settings.client ?? 'autocannon'})`,
    '',
    formatTable(
      ['side', 'req/s', 'p50', 'p99', 'CPU/request (all processes)', 'client CPU/request'],
      [row(1), row(2)],
    ),
    '',
    `2 workers: the primary used ${report.processes[2].primaryCpuMicrosPerRequest.toFixed(2)} µs ` +
      `of CPU per request; the busier worker ${formatPercent(report.processes[2].busiestWorkerShare)} ` +
      `of the workers' CPU (50% is an even split)`,
    `throughput, 2 workers / 1: ${formatRatio(report.throughputRatio)} ` +
      `(goal ≥ ${WORKERS_THROUGHPUT_GOAL}) ${report.throughputRatio >= WORKERS_THROUGHPUT_GOAL ? 'met' : 'MISSED'}`,
  ].join('\n')
}
