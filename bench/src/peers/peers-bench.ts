import os from 'node:os'
import { describeLoadClient, runLoad, type LoadClient } from '../lib/load.ts'
import type { ServerProcess } from '../lib/server-process.ts'
import { checkClean, summarizeRounds, type RoundResult, type SideSummary } from '../lib/rounds.ts'
import { formatNumber, formatPercent, formatRatio, formatTable } from '../lib/table.ts'
import { ask, isExpected } from './answers.ts'
import {
  BASELINES,
  ENDPOINT_LABELS,
  ENDPOINTS,
  installedVersions,
  type Endpoint,
  type Framework,
  type PeerRequest,
} from './frameworks.ts'
import {
  formatStartupReport,
  runStartupBench,
  type StartupReport,
} from './startup/startup-bench.ts'

export interface PeersBenchSettings {
  readonly rounds: number
  readonly durationSeconds: number
  readonly warmupSeconds: number
  readonly connections: number
  /** The load generator (default autocannon); `--client`. */
  readonly client?: LoadClient
  /** Fresh processes per server for the start-up measurement (0: skip it). */
  readonly startupRuns: number
}

export const DEFAULT_PEERS_SETTINGS: PeersBenchSettings = {
  rounds: 3,
  durationSeconds: 5,
  warmupSeconds: 2,
  connections: 50,
  startupRuns: 5,
}

export interface PeerSide {
  readonly id: string
  readonly label: string
  readonly summary: SideSummary
  /** This side / the baseline, from the medians of the rounds (NaN without a baseline). */
  readonly throughputRatio: number
  readonly cpuRatio: number
  readonly p99Ratio: number
}

export interface EndpointReport {
  readonly endpoint: Endpoint
  readonly label: string
  readonly baseline: string
  readonly sides: readonly PeerSide[]
}

export interface PeersReport {
  readonly settings: PeersBenchSettings
  readonly frameworks: readonly string[]
  /** Installed versions of the packages each framework is made of. */
  readonly versions: Readonly<Record<string, string>>
  readonly endpoints: readonly EndpointReport[]
  readonly startup?: StartupReport
}

/** Servey's CPU per request at most 1/0.95 of raw Fastify's, and below every framework peer. */
export const CPU_GOAL = 1 / 0.95

/**
 * Every framework's server in its own process, all running at once; for each endpoint, load
 * runs rotate between the servers that serve it, so drift on a shared machine hits all alike.
 * Each server's answer is checked against the expected value first. Server CPU is read from
 * /proc/<pid>/stat before and after every round.
 */
export async function runPeersBench(
  frameworks: readonly Framework[],
  settings: PeersBenchSettings,
): Promise<PeersReport> {
  const versions = installedVersions(frameworks)
  log(
    `versions: ${Object.entries(versions)
      .map(([name, version]) => `${name} ${version}`)
      .join(', ')}`,
  )
  const servers = await startAll(frameworks)
  const endpoints: EndpointReport[] = []
  try {
    for (const framework of frameworks) {
      const server = servers.get(framework.id)
      log(`${framework.label}: ${server?.url} (pid ${server?.pid})`)
    }
    for (const endpoint of ENDPOINTS) {
      const sides = frameworks.filter((framework) => framework.requests[endpoint] !== undefined)
      if (sides.length === 0) continue
      await checkAnswers(endpoint, sides, servers)
      endpoints.push(await benchEndpoint(endpoint, sides, servers, settings))
    }
  } finally {
    await Promise.all([...servers.values()].map((server) => server.stop()))
  }
  const startup =
    settings.startupRuns > 0
      ? await runStartupBench({ runs: settings.startupRuns, only: frameworks.map((f) => f.id) })
      : undefined
  return {
    settings,
    frameworks: frameworks.map((framework) => framework.id),
    versions,
    endpoints,
    ...(startup === undefined ? {} : { startup }),
  }
}

/**
 * Starts every server, as many at a time as there are cores (each costs 2–4 s of CPU to load
 * through tsx; all at once, the last ones miss their time-out on a loaded machine). If one
 * fails, the others are stopped before the error goes up.
 */
export async function startAll(
  frameworks: readonly Framework[],
): Promise<Map<string, ServerProcess>> {
  const servers = new Map<string, ServerProcess>()
  const failures: string[] = []
  const queue = [...frameworks]
  const worker = async () => {
    for (let framework = queue.shift(); framework !== undefined; framework = queue.shift()) {
      try {
        servers.set(framework.id, await framework.start())
      } catch (error) {
        failures.push(`${framework.id}: ${String(error)}`)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, os.availableParallelism()) }, worker))
  if (failures.length > 0) {
    await Promise.all([...servers.values()].map((server) => server.stop()))
    throw new Error(`servers did not start:\n  ${failures.join('\n  ')}`)
  }
  return servers
}

function requestOf(framework: Framework, endpoint: Endpoint): PeerRequest {
  const request = framework.requests[endpoint]
  if (request === undefined) throw new Error(`${framework.id} does not serve ${endpoint}`)
  return request
}

function serverOf(servers: ReadonlyMap<string, ServerProcess>, id: string): ServerProcess {
  const server = servers.get(id)
  if (server === undefined) throw new Error(`${id} is not running`)
  return server
}

/** Every server must answer the bench request with the expected value, or the run stops. */
async function checkAnswers(
  endpoint: Endpoint,
  frameworks: readonly Framework[],
  servers: ReadonlyMap<string, ServerProcess>,
): Promise<void> {
  for (const framework of frameworks) {
    const answer = await ask(
      framework,
      serverOf(servers, framework.id).url,
      requestOf(framework, endpoint),
    )
    if (!isExpected(endpoint, answer)) {
      throw new Error(
        `${framework.id} answers ${ENDPOINT_LABELS[endpoint]} with ${answer.status} ` +
          `${answer.contentType} ${answer.text.slice(0, 300)}: the comparison would be unfair`,
      )
    }
  }
  log(`${ENDPOINT_LABELS[endpoint]}: all ${frameworks.length} servers answer the expected value`)
}

async function measure(
  server: ServerProcess,
  request: PeerRequest,
  connections: number,
  durationSeconds: number,
  client: LoadClient | undefined,
): Promise<RoundResult> {
  const loadAverage = os.loadavg()[0] ?? 0
  const cpuBefore = await server.cpuMicros()
  const result = await runLoad({
    url: server.url + request.path,
    method: request.method,
    ...(request.body === undefined ? {} : { body: request.body }),
    ...(request.headers === undefined ? {} : { headers: request.headers }),
    connections,
    durationSeconds,
    client,
  })
  const cpuAfter = await server.cpuMicros()
  return {
    ...result,
    cpuMicrosPerRequest: (cpuAfter - cpuBefore) / Math.max(1, result.responses),
    loadAverage,
  }
}

async function benchEndpoint(
  endpoint: Endpoint,
  frameworks: readonly Framework[],
  servers: ReadonlyMap<string, ServerProcess>,
  settings: PeersBenchSettings,
): Promise<EndpointReport> {
  const run = (framework: Framework, seconds: number) =>
    measure(
      serverOf(servers, framework.id),
      requestOf(framework, endpoint),
      settings.connections,
      seconds,
      settings.client,
    )

  log(`${ENDPOINT_LABELS[endpoint]}: warm-up ${settings.warmupSeconds} s per server`)
  for (const framework of frameworks) {
    checkClean(framework.id, await run(framework, settings.warmupSeconds))
  }
  const rounds = new Map<string, RoundResult[]>(frameworks.map((framework) => [framework.id, []]))
  for (let round = 0; round < settings.rounds; round++) {
    // Rotate the order so no server always runs first, or always after the same neighbour.
    const order = frameworks.map(
      (_, index) => frameworks[(index + round) % frameworks.length] as Framework,
    )
    for (const framework of order) {
      const result = checkClean(framework.id, await run(framework, settings.durationSeconds))
      rounds.get(framework.id)?.push(result)
      log(
        `  round ${round + 1}/${settings.rounds} ${framework.id.padEnd(12)} ` +
          `${formatNumber(result.requestsPerSecond)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, ` +
          `p99 ${result.p99Ms.toFixed(2)} ms, server CPU ${result.cpuMicrosPerRequest.toFixed(1)} µs/req, ` +
          `load ${result.loadAverage.toFixed(2)}`,
      )
    }
  }
  const summaries = frameworks.map((framework) => ({
    framework,
    summary: summarizeRounds(rounds.get(framework.id) ?? []),
  }))
  const baselineId = BASELINES[endpoint]
  const baseline = summaries.find((entry) => entry.framework.id === baselineId)?.summary
  return {
    endpoint,
    label: ENDPOINT_LABELS[endpoint],
    baseline: baselineId,
    sides: summaries.map(({ framework, summary }) => ({
      id: framework.id,
      label: framework.label,
      summary,
      throughputRatio: summary.requestsPerSecond / (baseline?.requestsPerSecond ?? Number.NaN),
      cpuRatio: summary.cpuMicrosPerRequest / (baseline?.cpuMicrosPerRequest ?? Number.NaN),
      p99Ratio: summary.p99Ms / (baseline?.p99Ms ?? Number.NaN),
    })),
  }
}

/** Servey against the goal of issue 13, for one endpoint: a sentence, or undefined without Servey. */
export function goalVerdict(entry: EndpointReport): string | undefined {
  const servey = entry.sides.find((side) => side.id === 'servey')
  if (servey === undefined) return undefined
  const baselineCpu = servey.cpuRatio <= CPU_GOAL ? 'met' : 'MISSED'
  const peers = entry.sides.filter((side) => side.id !== 'servey' && side.id !== entry.baseline)
  const cheaper = peers.filter(
    (side) => side.summary.cpuMicrosPerRequest <= servey.summary.cpuMicrosPerRequest,
  )
  const baselinePart =
    entry.endpoint === 'graphql'
      ? `Servey / ${entry.baseline} CPU per request ${formatRatio(servey.cpuRatio)}`
      : `Servey / raw Fastify CPU per request ${formatRatio(servey.cpuRatio)} (goal <= ${CPU_GOAL.toFixed(3)}x) ${baselineCpu}`
  const peersPart =
    peers.length === 0
      ? 'no framework peer in this run'
      : cheaper.length === 0
        ? 'less CPU per request than every framework peer: met'
        : `peers costing no more CPU per request: ${cheaper.map((side) => side.id).join(', ')} (MISSED)`
  return `${entry.endpoint}: ${baselinePart}; ${peersPart}`
}

export function formatPeersReport(report: PeersReport): string {
  const { settings } = report
  const header = [
    'framework',
    'req/s',
    'p50 ms',
    'p99 ms',
    'CPU µs/req',
    'req/s ratio',
    'CPU ratio',
    'p99 ratio',
    'spread',
    'load',
  ]
  const tables = report.endpoints.map((entry) => {
    const rows = entry.sides.map((side) => [
      side.id === entry.baseline ? `${side.label} (baseline)` : side.label,
      formatNumber(side.summary.requestsPerSecond),
      side.summary.p50Ms.toFixed(2),
      side.summary.p99Ms.toFixed(2),
      side.summary.cpuMicrosPerRequest.toFixed(1),
      formatRatio(side.throughputRatio),
      formatRatio(side.cpuRatio),
      formatRatio(side.p99Ratio),
      formatPercent(side.summary.spread),
      loadRange(side.summary.rounds),
    ])
    return `${entry.label} (ratios to ${entry.baseline})\n${formatTable(header, rows)}`
  })
  const verdicts = report.endpoints.map(goalVerdict).filter((line) => line !== undefined)
  return [
    `Peers: ${settings.rounds} rotating rounds x ${settings.durationSeconds} s per server after a ` +
      `${settings.warmupSeconds} s warm-up, ${settings.connections} connections, ${describeLoadClient(settings.client)}; ` +
      `medians of the rounds; CPU from /proc/<pid>/stat of each server`,
    `versions: ${Object.entries(report.versions)
      .map(([name, version]) => `${name} ${version}`)
      .join(', ')}`,
    ...tables,
    ...verdicts,
    ...(report.startup === undefined ? [] : [formatStartupReport(report.startup)]),
  ].join('\n\n')
}

/** The 1-minute load averages seen at the start of the rounds, as `min–max`. */
function loadRange(rounds: readonly RoundResult[]): string {
  const loads = rounds.map((round) => round.loadAverage)
  return `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`
}

function log(message: string): void {
  console.log(message)
}
