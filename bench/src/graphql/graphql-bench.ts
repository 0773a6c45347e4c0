import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { describeLoadClient, runLoad, type LoadClient } from '../lib/load.ts'
import { startServerProcess, type ServerProcess } from '../lib/server-process.ts'
import { checkClean, summarizeRounds, type RoundResult, type SideSummary } from '../lib/rounds.ts'
import { formatNumber, formatPercent, formatRatio, formatTable } from '../lib/table.ts'
import { BENCH_QUERIES, type BenchQuery } from './queries.ts'

export interface GraphQLBenchSettings {
  readonly rounds: number
  readonly durationSeconds: number
  readonly warmupSeconds: number
  readonly connections: number
  /** The load generator (default autocannon); `--client`. */
  readonly client?: LoadClient
  /** When set, every server runs with --cpu-prof and writes its profile here. */
  readonly profileDir?: string
}

export const DEFAULT_GRAPHQL_SETTINGS: GraphQLBenchSettings = {
  rounds: 3,
  durationSeconds: 5,
  warmupSeconds: 2,
  connections: 50,
}

/**
 * Servey as configured by default, Servey with graphql-jit, hand-written graphql-yoga mounted
 * as yoga's Fastify guide shows (the baseline of the goals), and the same yoga answering the
 * way @servey/graphql does (to tell the send path apart from the rest).
 */
export type Side = 'servey' | 'jit' | 'yoga' | 'yogaText'
const SIDES: readonly Side[] = ['servey', 'jit', 'yoga', 'yogaText']
const SIDE_LABELS: Readonly<Record<Side, string>> = {
  servey: 'Servey',
  jit: 'Servey + jit',
  yoga: 'yoga by hand',
  yogaText: 'yoga, text',
}

export interface GraphQLGoal {
  /** Which Servey server the goal is about: the defaults, or with graphql-jit. */
  readonly mode: 'default' | 'jit'
  /** Lowest yoga µs / Servey µs of server CPU per request that meets it. */
  readonly min: number
}

/**
 * Issue 13's goals, by query id, both on server CPU per request (hand-written yoga's µs
 * divided by Servey's, higher is better): the 100-item list in the default mode at least
 * 0.95, and `hello` with graphql-jit at least 1.0. The other two ratios are printed, not
 * judged.
 */
export const GRAPHQL_GOALS: Readonly<Record<string, GraphQLGoal>> = {
  orders: { mode: 'default', min: 0.95 },
  hello: { mode: 'jit', min: 1.0 },
}

export interface QueryReport {
  readonly query: BenchQuery
  readonly sides: Readonly<Record<Side, SideSummary>>
  /** Servey / yoga req/s. */
  readonly defaultRatio: number
  /** Servey with jit / yoga req/s. */
  readonly jitRatio: number
  /** Servey / yoga sending as Servey does: Servey's own cost, the send path left out. */
  readonly samePathRatio: number
  /** Server CPU per request, yoga / Servey and yoga / jit: the least noisy view. */
  readonly defaultCpuRatio: number
  readonly jitCpuRatio: number
}

export interface GraphQLReport {
  readonly settings: GraphQLBenchSettings
  readonly queries: readonly QueryReport[]
}

const SERVER_ENV = { NODE_ENV: 'production' }
const HEADERS = { 'content-type': 'application/json' }

function entry(name: string): string {
  return fileURLToPath(new URL(name, import.meta.url))
}

/**
 * Servey's /graphql against a hand-written graphql-yoga schema with the same resolvers on
 * Fastify, sending the same query: the three servers run at once, each in its own process,
 * and load runs rotate between them every round so drift hits all alike.
 */
export async function runGraphQLBench(settings: GraphQLBenchSettings): Promise<GraphQLReport> {
  const servers: Partial<Record<Side, ServerProcess>> = {}
  const nodeArgs = (side: Side) =>
    settings.profileDir === undefined
      ? []
      : ['--cpu-prof', `--cpu-prof-dir=${settings.profileDir}/graphql-${side}`]
  try {
    servers.servey = await startServerProcess({
      name: 'servey',
      entry: entry('./servey-server.ts'),
      env: SERVER_ENV,
      nodeArgs: nodeArgs('servey'),
    })
    servers.jit = await startServerProcess({
      name: 'servey + jit',
      entry: entry('./servey-server.ts'),
      env: { ...SERVER_ENV, BENCH_GRAPHQL_JIT: '1' },
      nodeArgs: nodeArgs('jit'),
    })
    servers.yoga = await startServerProcess({
      name: 'yoga by hand',
      entry: entry('./yoga-server.ts'),
      env: SERVER_ENV,
      nodeArgs: nodeArgs('yoga'),
    })
    servers.yogaText = await startServerProcess({
      name: 'yoga, text',
      entry: entry('./yoga-server.ts'),
      env: { ...SERVER_ENV, BENCH_YOGA_SEND: 'text' },
      nodeArgs: nodeArgs('yogaText'),
    })
    const running = servers as Record<Side, ServerProcess>
    log(
      SIDES.map(
        (side) => `${SIDE_LABELS[side]}: ${running[side].url} (pid ${running[side].pid})`,
      ).join(', '),
    )
    const reports: QueryReport[] = []
    for (const query of BENCH_QUERIES) {
      await checkParity(query, running)
      reports.push(await benchQuery(query, running, settings))
    }
    return { settings, queries: reports }
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.stop()))
  }
}

async function benchQuery(
  query: BenchQuery,
  servers: Record<Side, ServerProcess>,
  settings: GraphQLBenchSettings,
): Promise<QueryReport> {
  const load = async (side: Side, durationSeconds: number): Promise<RoundResult> => {
    const loadAverage = os.loadavg()[0] ?? 0
    const cpuBefore = await servers[side].cpuMicros()
    const result = await runLoad({
      url: `${servers[side].url}/graphql`,
      method: 'POST',
      body: query.body,
      headers: HEADERS,
      connections: settings.connections,
      durationSeconds,
      client: settings.client,
    })
    const cpuAfter = await servers[side].cpuMicros()
    return {
      ...result,
      cpuMicrosPerRequest: (cpuAfter - cpuBefore) / Math.max(1, result.responses),
      loadAverage,
    }
  }

  log(`${query.label}: warm-up ${settings.warmupSeconds} s per side`)
  for (const side of SIDES) checkClean(side, await load(side, settings.warmupSeconds))

  const results: Record<Side, RoundResult[]> = { servey: [], jit: [], yoga: [], yogaText: [] }
  for (let round = 0; round < settings.rounds; round++) {
    // Rotate the order so no side always runs first (or right after the same neighbour).
    const order = SIDES.map((_, index) => SIDES[(index + round) % SIDES.length] as Side)
    for (const side of order) {
      const result = checkClean(side, await load(side, settings.durationSeconds))
      results[side].push(result)
      log(
        `  round ${round + 1}/${settings.rounds} ${SIDE_LABELS[side].padEnd(12)} ` +
          `${formatNumber(result.requestsPerSecond)} req/s, p99 ${result.p99Ms.toFixed(2)} ms, ` +
          `server CPU ${result.cpuMicrosPerRequest.toFixed(1)} µs/req`,
      )
    }
  }
  const sides = {
    servey: summarizeRounds(results.servey),
    jit: summarizeRounds(results.jit),
    yoga: summarizeRounds(results.yoga),
    yogaText: summarizeRounds(results.yogaText),
  }
  return {
    query,
    sides,
    defaultRatio: sides.servey.requestsPerSecond / sides.yoga.requestsPerSecond,
    jitRatio: sides.jit.requestsPerSecond / sides.yoga.requestsPerSecond,
    samePathRatio: sides.servey.requestsPerSecond / sides.yogaText.requestsPerSecond,
    defaultCpuRatio: sides.yoga.cpuMicrosPerRequest / sides.servey.cpuMicrosPerRequest,
    jitCpuRatio: sides.yoga.cpuMicrosPerRequest / sides.jit.cpuMicrosPerRequest,
  }
}

/** Every server must answer the bench query with the same status, content type and body. */
async function checkParity(query: BenchQuery, servers: Record<Side, ServerProcess>): Promise<void> {
  const answers = await Promise.all(
    SIDES.map(async (side) => {
      const response = await fetch(`${servers[side].url}/graphql`, {
        method: 'POST',
        headers: HEADERS,
        body: query.body,
      })
      return {
        side,
        status: response.status,
        type: response.headers.get('content-type'),
        body: await response.text(),
      }
    }),
  )
  const [first] = answers
  const same = answers.every(
    (answer) =>
      answer.status === first?.status && answer.type === first.type && answer.body === first.body,
  )
  if (!same || first === undefined) {
    throw new Error(
      `${query.label}: the servers answer differently, the comparison would be unfair:\n` +
        answers.map((a) => `  ${a.side}: ${a.status} ${a.type} ${a.body.slice(0, 200)}`).join('\n'),
    )
  }
  log(`${query.label}: all answer ${first.status} ${first.type}, ${first.body.length} bytes`)
}

export function formatGraphQLReport(report: GraphQLReport): string {
  const { settings } = report
  const header = [
    'query',
    'Servey req/s',
    'jit req/s',
    'yoga req/s',
    'yoga,text req/s',
    'Servey/yoga',
    'jit/yoga',
    'Servey/yoga,text',
    'p99 S/jit/y/yt',
    'CPU µs/req S/jit/y/yt',
    'spread S/jit/y/yt',
  ]
  const rows = report.queries.map(({ query, sides, defaultRatio, jitRatio, samePathRatio }) => [
    query.id,
    formatNumber(sides.servey.requestsPerSecond),
    formatNumber(sides.jit.requestsPerSecond),
    formatNumber(sides.yoga.requestsPerSecond),
    formatNumber(sides.yogaText.requestsPerSecond),
    formatRatio(defaultRatio),
    formatRatio(jitRatio),
    formatRatio(samePathRatio),
    SIDES.map((side) => sides[side].p99Ms.toFixed(2)).join('/'),
    SIDES.map((side) => sides[side].cpuMicrosPerRequest.toFixed(1)).join('/'),
    SIDES.map((side) => formatPercent(sides[side].spread)).join('/'),
  ])
  const verdicts = report.queries.map((entry) => {
    const ratios =
      `server CPU per request, yoga µs / ours (higher is better): ` +
      `${formatRatio(entry.defaultCpuRatio)} default, ${formatRatio(entry.jitCpuRatio)} jit`
    const goal = GRAPHQL_GOALS[entry.query.id]
    if (goal === undefined) return `${entry.query.id}: no goal; ${ratios}`
    const ratio = goal.mode === 'jit' ? entry.jitCpuRatio : entry.defaultCpuRatio
    return (
      `${entry.query.id}: issue 13 goal, ${goal.mode === 'jit' ? 'with jit' : 'default mode'} ` +
      `>= ${goal.min}x of yoga by server CPU per request: ${formatRatio(ratio)} ` +
      `${ratio >= goal.min ? 'met' : 'MISSED'}; ${ratios}`
    )
  })
  return [
    `GraphQL: ${settings.rounds} rotating rounds x ${settings.durationSeconds} s per server after a ` +
      `${settings.warmupSeconds} s warm-up, ${settings.connections} connections, POST /graphql, ${describeLoadClient(settings.client)}`,
    ...report.queries.map((entry) => `  ${entry.query.id}: ${entry.query.label}`),
    formatTable(header, rows),
    ...verdicts,
  ].join('\n')
}

function log(message: string): void {
  console.log(message)
}
