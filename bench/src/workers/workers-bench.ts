import { readFileSync } from 'node:fs'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { runLoad, type LoadClient } from '../lib/load.ts'
import { processCpuMicros, threadCpuMicros } from '../lib/process-cpu.ts'
import { checkClean, summarizeRounds, type RoundResult, type SideSummary } from '../lib/rounds.ts'
import { freePort } from '../lib/free-port.ts'
import { startServerProcess, type ServerProcess } from '../lib/server-process.ts'
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
 * client's own CPU per request so the ratio can be read with what the client took. Beside it,
 * the same pair of raw Fastify under node:cluster (./raw-cluster-server.ts): what a second
 * worker gains on this machine with this client when the server is not Servey.
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

interface WorkersRoundResult extends RoundResult, ProcessShares {
  /** One worker's main thread's CPU per answer (NaN with two): what bounds one worker. */
  readonly mainThreadCpuMicrosPerRequest: number
}

/** Two workers against one, of one kind of server. */
export interface WorkersPair {
  readonly sides: Readonly<Record<Count, SideSummary>>
  /** Medians of the rounds. */
  readonly processes: Readonly<Record<Count, ProcessShares>>
  /** Two workers' req/s over one's. */
  readonly throughputRatio: number
  /** One worker's main-thread CPU per answer, median of its rounds. */
  readonly mainThreadCpuMicrosPerRequest: number
  /** The best ratio the machine allows with this client (throughputCeiling). */
  readonly ceiling: number
}

/** `servey start`'s pair (the goal's), and the baseline's: raw Fastify under node:cluster. */
export interface WorkersReport extends WorkersPair {
  readonly settings: WorkersBenchSettings
  readonly route: string
  readonly baseline: WorkersPair
}

const KINDS = ['servey', 'raw'] as const
type Kind = (typeof KINDS)[number]
const KIND_LABELS: Record<Kind, string> = { servey: 'servey start', raw: 'raw Fastify' }

interface Side {
  readonly kind: Kind
  readonly workers: Count
}
const SIDES: readonly Side[] = KINDS.flatMap((kind) => COUNTS.map((workers) => ({ kind, workers })))
const sideName = (side: Side): string => `${KIND_LABELS[side.kind]} ×${side.workers}`

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

async function startWith(
  { kind, workers }: Side,
  settings: WorkersBenchSettings,
): Promise<ServerProcess> {
  const prefix = `bench-workers-${process.pid}-${workers}`
  const server =
    kind === 'servey'
      ? await startServeyStart({
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
      : await startServerProcess({
          name: `raw Fastify ×${workers}`,
          entry: fileURLToPath(new URL('./raw-cluster-server.ts', import.meta.url)),
          // As the REST suite runs it; its request log lines go to /dev/null as servey start's.
          env: {
            NODE_ENV: 'production',
            RAW_WORKERS: String(workers),
            PORT: String(await freePort()),
          },
          stdout: 'ignore',
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
  const servers = new Map<Side, ServerProcess>()
  try {
    for (const side of SIDES) servers.set(side, await startWith(side, settings))
    const load = async (side: Side, durationSeconds: number): Promise<WorkersRoundResult> => {
      const server = servers.get(side)
      if (server === undefined) throw new Error(`${sideName(side)} is not running`)
      const loadAverage = os.loadavg()[0] ?? 0
      const pids = processTree(server.pid)
      const mainBefore = threadCpuMicros(server.pid, server.pid) ?? Number.NaN
      const cpuBefore = treeCpuMicros(pids)
      const result = await runLoad({
        url: server.url + route.path,
        method: route.method,
        connections: settings.connections,
        durationSeconds,
        client: settings.client,
      })
      const cpuAfter = treeCpuMicros(pids)
      const mainAfter = threadCpuMicros(server.pid, server.pid) ?? Number.NaN
      const sum = (values: readonly number[]) => values.reduce((total, each) => total + each, 0)
      return {
        ...result,
        cpuMicrosPerRequest: (sum(cpuAfter) - sum(cpuBefore)) / Math.max(1, result.responses),
        loadAverage,
        ...processShares(side.workers, cpuBefore, cpuAfter, result.responses),
        mainThreadCpuMicrosPerRequest:
          side.workers === 1
            ? (mainAfter - mainBefore) / Math.max(1, result.responses)
            : Number.NaN,
      }
    }
    for (const side of SIDES) {
      checkClean(sideName(side), await load(side, settings.warmupSeconds))
    }
    const results = new Map<Side, WorkersRoundResult[]>(SIDES.map((side) => [side, []]))
    for (let round = 0; round < settings.rounds; round++) {
      // Rotate the order so no side always runs first, or always after the same neighbour.
      const order = SIDES.map((_, index) => SIDES[(index + round) % SIDES.length] as Side)
      for (const side of order) {
        const result = checkClean(sideName(side), await load(side, settings.durationSeconds))
        results.get(side)?.push(result)
        log(
          `  round ${round + 1}/${settings.rounds} ${sideName(side).padEnd(16)} ` +
            `${formatNumber(result.requestsPerSecond)} req/s, p99 ${result.p99Ms.toFixed(2)} ms, ` +
            `CPU ${result.cpuMicrosPerRequest.toFixed(1)} µs/req, ` +
            `${result.client} ${result.clientCpuMicrosPerRequest.toFixed(1)} µs/req, ` +
            (side.workers === 1
              ? ''
              : `primary ${result.primaryCpuMicrosPerRequest.toFixed(2)} µs/req, ` +
                `busiest worker ${formatPercent(result.busiestWorkerShare)}, `) +
            `load ${result.loadAverage.toFixed(2)}`,
        )
      }
    }
    const pair = (kind: Kind): WorkersPair => {
      const rounds = (workers: Count) =>
        results.get(SIDES.find((side) => side.kind === kind && side.workers === workers) as Side) ??
        []
      const shares = (workers: Count): ProcessShares => ({
        primaryCpuMicrosPerRequest: median(
          rounds(workers).map((each) => each.primaryCpuMicrosPerRequest),
        ),
        busiestWorkerShare: median(rounds(workers).map((each) => each.busiestWorkerShare)),
      })
      const sides = { 1: summarizeRounds(rounds(1)), 2: summarizeRounds(rounds(2)) }
      const mainThread = median(rounds(1).map((each) => each.mainThreadCpuMicrosPerRequest))
      return {
        sides,
        processes: { 1: shares(1), 2: shares(2) },
        throughputRatio: sides[2].requestsPerSecond / sides[1].requestsPerSecond,
        mainThreadCpuMicrosPerRequest: mainThread,
        ceiling: throughputCeiling(mainThread, sides[2]),
      }
    }
    return {
      settings: { ...settings, redisUrl: settings.redisUrl.replace(/\/\/[^@/]*@/, '//***@') },
      route: route.label,
      ...pair('servey'),
      baseline: pair('raw'),
    }
  } finally {
    await Promise.all([...servers.values()].map((server) => server.stop()))
  }
}

/**
 * The best two-workers-over-one ratio the machine allows with this client, from CPU per
 * request, which the machine's other load barely moves. One worker answers at most
 * 1,000,000 / M requests a second (M: its main thread's µs per request; its other threads run
 * beside it); two workers and the client share the cores, at most cores × 1,000,000 / (S + C)
 * (S: the two workers' processes' µs per request, C: the client's). So the ratio is at most
 * min(2, cores × M / (S + C)), and only if the kernel keeps every core busy.
 */
export function throughputCeiling(
  mainThreadMicrosPerRequest: number,
  twoWorkers: SideSummary,
  cores = os.availableParallelism(),
): number {
  const perRequest = twoWorkers.cpuMicrosPerRequest + twoWorkers.clientCpuMicrosPerRequest
  return Math.min(2, (cores * mainThreadMicrosPerRequest) / perRequest)
}

/**
 * Whether a pair's ratio can be a verdict: above its ceiling (with 5 % for rounding), the one
 * worker did not get a core of its own, so other work was running and two processes won back
 * more of the machine from it than one did, which flatters the ratio.
 */
export function aboveCeiling(pair: Pick<WorkersPair, 'throughputRatio' | 'ceiling'>): boolean {
  return pair.throughputRatio > pair.ceiling * 1.05
}

/**
 * How many cores a side kept busy (req/s × CPU per request): the servers', and the client's on
 * the same machine. One worker cannot use much more than one; when servers and client together
 * reach the machine's cores, the ratio is the machine's limit, not the server's.
 */
export function coresBusy(side: SideSummary): { servers: number; client: number } {
  return {
    servers: (side.requestsPerSecond * side.cpuMicrosPerRequest) / 1_000_000,
    client: (side.requestsPerSecond * side.clientCpuMicrosPerRequest) / 1_000_000,
  }
}

export function formatWorkersReport(report: WorkersReport): string {
  const row = (kind: Kind, pair: WorkersPair, count: Count) => {
    const side = pair.sides[count]
    const cores = coresBusy(side)
    return [
      sideName({ kind, workers: count }),
      formatNumber(side.requestsPerSecond),
      `${side.p50Ms.toFixed(2)} ms`,
      `${side.p99Ms.toFixed(2)} ms`,
      `${side.cpuMicrosPerRequest.toFixed(1)} µs`,
      `${side.clientCpuMicrosPerRequest.toFixed(1)} µs`,
      `${cores.servers.toFixed(2)} + ${cores.client.toFixed(2)}`,
    ]
  }
  const ceiling = (pair: WorkersPair) =>
    `one worker's main thread ${pair.mainThreadCpuMicrosPerRequest.toFixed(1)} µs per request, ` +
    `so the best ratio ${os.availableParallelism()} cores allow with this client is ` +
    `${formatRatio(pair.ceiling)}; measured ${formatRatio(pair.throughputRatio)}, ` +
    `${formatPercent(pair.throughputRatio / pair.ceiling)} of it` +
    (aboveCeiling(pair) ? ' (above it: other work was running, so this ratio is no verdict)' : '')
  const primary = (pair: WorkersPair) =>
    `the primary used ${pair.processes[2].primaryCpuMicrosPerRequest.toFixed(2)} µs of CPU per ` +
    `request, the busier worker did ${formatPercent(pair.processes[2].busiestWorkerShare)} of ` +
    `the workers' CPU (50% is an even split)`
  return [
    `servey start --workers 2 vs 1 on Redis, beside raw Fastify under node:cluster, ` +
      `${report.route} (${report.settings.rounds} rounds × ${report.settings.durationSeconds} s, ` +
      `${report.settings.connections} connections, ${report.settings.client ?? 'autocannon'})`,
    '',
    formatTable(
      [
        'side',
        'req/s',
        'p50',
        'p99',
        'CPU/request (all processes)',
        'client CPU/request',
        'cores busy (servers + client)',
      ],
      [
        row('servey', report, 1),
        row('servey', report, 2),
        row('raw', report.baseline, 1),
        row('raw', report.baseline, 2),
      ],
    ),
    '',
    `servey start ×2: ${primary(report)}`,
    `raw Fastify ×2: ${primary(report.baseline)}`,
    `servey start: ${ceiling(report)}`,
    `raw Fastify: ${ceiling(report.baseline)}`,
    `raw Fastify under node:cluster, 2 workers / 1: ${formatRatio(report.baseline.throughputRatio)} ` +
      `(what this machine and client allow)`,
    `servey start, 2 workers / 1: ${formatRatio(report.throughputRatio)} ` +
      `(goal ≥ ${WORKERS_THROUGHPUT_GOAL}) ${report.throughputRatio >= WORKERS_THROUGHPUT_GOAL ? 'met' : 'MISSED'}` +
      (aboveCeiling(report) || aboveCeiling(report.baseline)
        ? ', NOT A VERDICT: a ratio above its ceiling means other work was running'
        : ''),
  ].join('\n')
}
