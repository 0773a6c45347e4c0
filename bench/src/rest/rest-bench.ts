import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { describeLoadClient, runLoad, type LoadClient, type LoadResult } from '../lib/load.ts'
import { startServerProcess, type ServerProcess } from '../lib/server-process.ts'
import { startServeyStart } from '../lib/servey-start-process.ts'
import { checkClean, summarizeRounds, type RoundResult, type SideSummary } from '../lib/rounds.ts'
import { median } from '../lib/stats.ts'
import { formatNumber, formatPercent, formatRatio, formatTable } from '../lib/table.ts'
import { BENCH_ROUTES, type BenchRoute } from './routes.ts'

export interface RestBenchSettings {
  readonly rounds: number
  readonly durationSeconds: number
  readonly warmupSeconds: number
  readonly connections: number
  /** The load generator (default autocannon); `--client`. */
  readonly client?: LoadClient
  /**
   * Load both servers at once in each round (`--concurrent`), each with `connections`, instead
   * of one after the other. See `benchRoute`.
   */
  readonly concurrent?: boolean
  /** When set, both servers run with --cpu-prof and write their profiles here. */
  readonly profileDir?: string
  /** Another scenario (the cache suite): its routes and the two server entries (absolute paths). */
  readonly scenario?: {
    readonly routes: readonly BenchRoute[]
    readonly serveyEntry: string
    readonly rawEntry: string
  }
}

export const DEFAULT_REST_SETTINGS: RestBenchSettings = {
  rounds: 3,
  durationSeconds: 5,
  warmupSeconds: 2,
  connections: 50,
}

type Side = 'servey' | 'raw'
const SIDES: readonly Side[] = ['servey', 'raw']

/** One load run, plus the server's CPU time per answered request (microseconds). */

export interface RouteReport {
  readonly route: BenchRoute
  readonly servey: SideSummary
  readonly raw: SideSummary
  /** servey / raw req/s (medians of the rounds): goal >= 0.95. */
  readonly throughputRatio: number
  /** servey / raw p99: goal <= 1.1. */
  readonly p99Ratio: number
  /**
   * servey / raw server CPU per request: the least noisy figure. Goal <= 1/0.95. The ratio of
   * the medians; with `concurrent`, the median of each round's ratio (the two sides of a round
   * ran at the same moment).
   */
  readonly cpuRatio: number
  /** servey / raw p50 (medians). */
  readonly p50Ratio: number
}

export interface RestReport {
  readonly settings: RestBenchSettings
  readonly routes: readonly RouteReport[]
}

export const THROUGHPUT_GOAL = 0.95
export const P99_GOAL = 1.1
/** Servey's server CPU per request at most 1/0.95 of raw Fastify's (issues 9 and 13). */
export const CPU_GOAL = 1 / 0.95

const SERVER_ENV = { NODE_ENV: 'production' }

function entry(name: string): string {
  return fileURLToPath(new URL(name, import.meta.url))
}

/**
 * Servey vs the same routes on raw Fastify: both servers run at once, each in its own process,
 * and load runs alternate between them (order flipped every round) so drift hits both alike, or
 * with `concurrent` load both in the same seconds, which also pairs each round's two figures.
 * The Servey side is `servey start` as users run it (the CLI's bin, its defaults: JSON request
 * logs, request ids, in-process cache and jobs, GraphQL and channels mounted) on the bench app
 * in ./app; the baseline is Fastify with the same schemas and the same request logs, written
 * through the same log destination (see raw-server.ts). Server CPU is read from
 * /proc/<pid>/stat before and after each round.
 */
export async function runRestBench(settings: RestBenchSettings): Promise<RestReport> {
  const servers: Partial<Record<Side, ServerProcess>> = {}
  // One directory per side: Node writes one profile per thread (tsx's loader runs in a worker).
  const nodeArgs = (side: Side) =>
    settings.profileDir === undefined
      ? []
      : ['--cpu-prof', `--cpu-prof-dir=${settings.profileDir}/${side}`]
  try {
    servers.servey =
      settings.scenario === undefined
        ? await startServeyStart({
            entry: entry('./app/actions.ts'),
            cwd: fileURLToPath(new URL('../../', import.meta.url)),
            nodeArgs: nodeArgs('servey'),
          })
        : await startServerProcess({
            name: 'servey',
            entry: settings.scenario.serveyEntry,
            env: SERVER_ENV,
            nodeArgs: nodeArgs('servey'),
          })
    servers.raw = await startServerProcess({
      name: 'raw fastify',
      entry: settings.scenario?.rawEntry ?? entry('./raw-server.ts'),
      env: SERVER_ENV,
      nodeArgs: nodeArgs('raw'),
      // Its request log lines go where servey start's go: /dev/null.
      stdout: settings.scenario === undefined ? 'ignore' : 'inherit',
    })
    const running: Record<Side, ServerProcess> = { servey: servers.servey, raw: servers.raw }
    const urls: Record<Side, string> = { servey: servers.servey.url, raw: servers.raw.url }
    log(
      `servey: ${urls.servey} (pid ${servers.servey.pid}), raw fastify: ${urls.raw} (pid ${servers.raw.pid})`,
    )

    const reports: RouteReport[] = []
    for (const route of settings.scenario?.routes ?? BENCH_ROUTES) {
      await checkParity(route, urls)
      reports.push(await benchRoute(route, running, settings))
    }
    return { settings, routes: reports }
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.stop()))
  }
}

async function benchRoute(
  route: BenchRoute,
  servers: Record<Side, ServerProcess>,
  settings: RestBenchSettings,
): Promise<RouteReport> {
  const run = (side: Side, durationSeconds: number) =>
    runLoad({
      url: servers[side].url + route.path,
      method: route.method,
      ...(route.body === undefined ? {} : { body: route.body }),
      ...(route.headers === undefined ? {} : { headers: route.headers }),
      ...(route.expectedStatus === undefined ? {} : { expectedStatus: route.expectedStatus }),
      connections: settings.connections,
      durationSeconds,
      client: settings.client,
    })
  /** Loads `sides` for `durationSeconds`, all at once, with each server's CPU per answer. */
  const load = async (
    sides: readonly Side[],
    durationSeconds: number,
  ): Promise<Partial<Record<Side, RoundResult>>> => {
    const loadAverage = os.loadavg()[0] ?? 0
    const before = await Promise.all(sides.map((side) => servers[side].cpuMicros()))
    const results = await Promise.all(sides.map((side) => run(side, durationSeconds)))
    const after = await Promise.all(sides.map((side) => servers[side].cpuMicros()))
    const rounds: Partial<Record<Side, RoundResult>> = {}
    sides.forEach((side, index) => {
      const result = checkClean(side, results[index] as LoadResult)
      const cpu = (after[index] as number) - (before[index] as number)
      rounds[side] = {
        ...result,
        cpuMicrosPerRequest: cpu / Math.max(1, result.responses),
        loadAverage,
      }
    })
    return rounds
  }

  log(`${route.label}: warm-up ${settings.warmupSeconds} s per side`)
  for (const side of SIDES) await load([side], settings.warmupSeconds)

  const results: Record<Side, RoundResult[]> = { servey: [], raw: [] }
  for (let round = 0; round < settings.rounds; round++) {
    // Concurrent: both sides in the same seconds, so a machine whose speed drifts (a
    // neighbour's load, a shared host) slows both alike; each round's ratio is then a fair
    // pair. Otherwise one after the other, the order flipped every round.
    const steps: readonly (readonly Side[])[] = settings.concurrent
      ? [SIDES]
      : (round % 2 === 0 ? SIDES : [...SIDES].reverse()).map((side) => [side])
    for (const sides of steps) {
      const measured = await load(sides, settings.durationSeconds)
      for (const side of sides) {
        const result = measured[side] as RoundResult
        results[side].push(result)
        log(
          `  round ${round + 1}/${settings.rounds} ${side.padEnd(6)} ` +
            `${formatNumber(result.requestsPerSecond)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, ` +
            `p99 ${result.p99Ms.toFixed(2)} ms, server CPU ${result.cpuMicrosPerRequest.toFixed(1)} µs/req, ` +
            `load ${result.loadAverage.toFixed(2)}`,
        )
      }
    }
  }
  const servey = summarizeRounds(results.servey)
  const raw = summarizeRounds(results.raw)
  return {
    route,
    servey,
    raw,
    throughputRatio: servey.requestsPerSecond / raw.requestsPerSecond,
    p99Ratio: servey.p99Ms / raw.p99Ms,
    p50Ratio: servey.p50Ms / raw.p50Ms,
    cpuRatio: settings.concurrent
      ? median(
          results.servey.map(
            (round, index) =>
              round.cpuMicrosPerRequest / (results.raw[index] as RoundResult).cpuMicrosPerRequest,
          ),
        )
      : servey.cpuMicrosPerRequest / raw.cpuMicrosPerRequest,
  }
}

/**
 * Both servers must answer the bench request with the same status, content type and body. A
 * 304 has no body, so its content type describes nothing and is not compared (RFC 9110
 * §15.4.5 does not list it among the headers a 304 repeats).
 */
async function checkParity(route: BenchRoute, urls: Record<Side, string>): Promise<void> {
  const answers = await Promise.all(
    SIDES.map(async (side) => {
      const response = await fetch(urls[side] + route.path, {
        method: route.method,
        ...(route.headers === undefined ? {} : { headers: route.headers }),
        ...(route.body === undefined ? {} : { body: route.body }),
      })
      return {
        side,
        status: response.status,
        type: response.headers.get('content-type'),
        body: await response.text(),
        headers: [...response.headers.keys()].sort(),
      }
    }),
  )
  const [servey, raw] = answers as [(typeof answers)[number], (typeof answers)[number]]
  const same =
    servey.status === raw.status &&
    (servey.type === raw.type || servey.status === 304) &&
    servey.body === raw.body
  if (!same) {
    throw new Error(
      `${route.label}: the two servers answer differently, the comparison would be unfair:\n` +
        answers.map((a) => `  ${a.side}: ${a.status} ${a.type} ${a.body}`).join('\n'),
    )
  }
  const extra = servey.headers.filter((name) => !raw.headers.includes(name))
  log(
    `${route.label}: both answer ${servey.status} ${servey.type} ${servey.body}` +
      (extra.length > 0 ? ` (servey adds headers: ${extra.join(', ')})` : ''),
  )
}

export function formatRestReport(report: RestReport): string {
  const { settings } = report
  const header = [
    'route',
    'servey req/s',
    'raw req/s',
    'ratio',
    'p50 s/r',
    'p50 ratio',
    'p99 s/r',
    'p99 ratio',
    'CPU µs/req s/r',
    'CPU ratio',
    'spread s/r',
    'load',
  ]
  const rows = report.routes.map((entry) => [
    entry.route.label,
    formatNumber(entry.servey.requestsPerSecond),
    formatNumber(entry.raw.requestsPerSecond),
    formatRatio(entry.throughputRatio),
    `${entry.servey.p50Ms.toFixed(2)}/${entry.raw.p50Ms.toFixed(2)} ms`,
    formatRatio(entry.p50Ratio),
    `${entry.servey.p99Ms.toFixed(2)}/${entry.raw.p99Ms.toFixed(2)} ms`,
    formatRatio(entry.p99Ratio),
    `${entry.servey.cpuMicrosPerRequest.toFixed(1)}/${entry.raw.cpuMicrosPerRequest.toFixed(1)}`,
    formatRatio(entry.cpuRatio),
    `${formatPercent(entry.servey.spread)}/${formatPercent(entry.raw.spread)}`,
    loadRange([...entry.servey.rounds, ...entry.raw.rounds]),
  ])
  const verdicts = report.routes.map((entry) => {
    const cpu = entry.cpuRatio <= CPU_GOAL ? 'met' : 'MISSED'
    const throughput = entry.throughputRatio >= THROUGHPUT_GOAL ? 'met' : 'MISSED'
    const latency = entry.p99Ratio <= P99_GOAL ? 'met' : 'MISSED'
    return (
      `${entry.route.label}: CPU goal (<= ${CPU_GOAL.toFixed(3)}x) ${cpu}, ` +
      `throughput goal (>= ${THROUGHPUT_GOAL}) ${throughput}, p99 goal (<= ${P99_GOAL}x) ${latency}`
    )
  })
  return [
    `REST: ${settings.rounds} ${settings.concurrent ? 'concurrent' : 'alternating'} rounds x ${settings.durationSeconds} s per side after a ` +
      `${settings.warmupSeconds} s warm-up, ${settings.connections} connections, ${describeLoadClient(settings.client)}; ` +
      `medians of the rounds${settings.concurrent ? " (CPU ratio: median of the rounds' ratios)" : ''}; CPU from /proc/<pid>/stat of each server`,
    formatTable(header, rows),
    ...verdicts,
  ].join('\n')
}

/** The 1-minute load averages seen at the start of the rounds, as `min–max`. */
function loadRange(rounds: readonly RoundResult[]): string {
  const loads = rounds.map((round) => round.loadAverage)
  return `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`
}

function log(message: string): void {
  console.log(message)
}
