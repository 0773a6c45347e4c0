// `pnpm bench [rest|graphql|cli|jobs|cache|lambda|channels|peers|alloc|workers|warmup|instructions ...] [--rounds=N] [--duration=S] [--warmup=S]
//  [--connections=N] [--runs=N] [--requests=N] [--clients=100,500,1000] [--app=hello|channels|health|cache|graphql] [--only=servey,fastify,...] [--profile]
//  [--client=autocannon|wrk] [--pin] [--concurrent]`; --profile runs both REST servers with --cpu-prof (bench/results/profiles/) and
// `tsx src/profile-summary.ts <file>` then shows where the time went. --client picks the load
// generator of the HTTP suites (rest, graphql, cache, peers, workers, warmup): autocannon in this
// process (default), or wrk, a C program that leaves the servers more of the machine.
// --concurrent (rest, cache) loads the two servers at once in each round instead of in turn.
// Runs the side-by-side benchmarks and prints the ratios; a JSON copy goes to bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import {
  formatCliReport,
  runCliBench,
  DEFAULT_CLI_SETTINGS,
  type CliReport,
} from './cli/cli-bench.ts'
import {
  DEFAULT_GRAPHQL_SETTINGS,
  formatGraphQLReport,
  runGraphQLBench,
  type GraphQLReport,
} from './graphql/graphql-bench.ts'
import {
  DEFAULT_JOBS_SETTINGS,
  formatJobsReport,
  runJobsBench,
  type JobsReport,
} from './jobs/jobs-bench.ts'
import { formatCacheReport, runCacheBench } from './cache/cache-bench.ts'
import {
  DEFAULT_CHANNELS_SETTINGS,
  formatChannelsReport,
  runChannelsBench,
  type ChannelsReport,
} from './channels/channels-bench.ts'
import {
  DEFAULT_LAMBDA_SETTINGS,
  formatLambdaReport,
  runLambdaBench,
  type LambdaReport,
} from './lambda/lambda-bench.ts'
import {
  DEFAULT_ALLOC_SETTINGS,
  formatAllocReport,
  runAllocBench,
  type AllocReport,
} from './alloc/alloc-bench.ts'
import { valgrindAvailability } from './instructions/callgrind.ts'
import {
  DEFAULT_INSTRUCTIONS_SETTINGS,
  formatInstructionsReport,
  runInstructionsBench,
  type InstructionsReport,
} from './instructions/instructions-bench.ts'
import { isLoadClient, LOAD_CLIENTS, type LoadClient } from './lib/load.ts'
import { describeMachine } from './lib/machine.ts'
import { describePinning, enablePinning, planPinning } from './lib/cpu-pinning.ts'
import { wrkAvailability } from './lib/wrk.ts'
import {
  DEFAULT_WARMUP_SETTINGS,
  formatWarmupReport,
  runWarmupBench,
  type WarmupReport,
} from './warmup/warmup-bench.ts'
import {
  DEFAULT_WORKERS_SETTINGS,
  formatWorkersReport,
  runWorkersBench,
  type WorkersReport,
} from './workers/workers-bench.ts'
import {
  DEFAULT_PEERS_SETTINGS,
  formatPeersReport,
  runPeersBench,
  type PeersReport,
} from './peers/peers-bench.ts'
import { selectFrameworks } from './peers/frameworks.ts'
import {
  DEFAULT_REST_SETTINGS,
  formatRestReport,
  runRestBench,
  type RestReport,
} from './rest/rest-bench.ts'

const SUITES = [
  'rest',
  'graphql',
  'cli',
  'jobs',
  'cache',
  'lambda',
  'channels',
  'peers',
  'alloc',
  'workers',
  'warmup',
  'instructions',
] as const
type Suite = (typeof SUITES)[number]

function isSuite(value: string): value is Suite {
  return (SUITES as readonly string[]).includes(value)
}

function positiveNumber(raw: string | undefined, fallback: number, flag: string): number {
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${flag} must be a positive number`)
  return value
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    runs: { type: 'string' },
    requests: { type: 'string' },
    clients: { type: 'string' },
    profile: { type: 'boolean' },
    // lambda: `hello` (default), `channels` (say_hello in an app with a channel) or `health`
    // (the servey_health bundle answering GET /health);
    // alloc: `cache` measures the cache suite's servers and routes instead of the REST suite's,
    // `graphql` the GraphQL suite's Servey server against its hand-written yoga
    app: { type: 'string' },
    // peers: the frameworks to run, by id (default all; see peers/frameworks.ts)
    only: { type: 'string' },
    // the load generator of the HTTP suites: autocannon (default) or wrk
    client: { type: 'string' },
    // servers on CPU 0, this process and its load generator on the others (lib/cpu-pinning.ts)
    pin: { type: 'boolean' },
    // rest and cache: load both servers at once in each round (see rest/rest-bench.ts)
    concurrent: { type: 'boolean' },
  },
})

function loadClient(value: string | undefined): LoadClient {
  if (value === undefined) return 'autocannon'
  if (isLoadClient(value)) return value
  console.error(`--client must be one of ${LOAD_CLIENTS.join(', ')}, not ${value}`)
  process.exit(2)
}
const client = loadClient(values.client)
let clientVersion = 'in-process'
if (client === 'wrk') {
  // Before any server starts: a missing binary is a message, not a stack trace minutes in.
  const wrk = wrkAvailability()
  if (!wrk.available) {
    console.error(wrk.message)
    process.exit(2)
  }
  clientVersion = wrk.version
}

function lambdaApp(value: string | undefined): 'hello' | 'channels' | 'health' {
  if (value === undefined) return 'hello'
  if (value === 'hello' || value === 'channels' || value === 'health') return value
  throw new Error(`--app must be hello, channels or health, not ${value}`)
}

const unknown = positionals.filter((name) => !isSuite(name))
if (unknown.length > 0) {
  console.error(`Unknown benchmark: ${unknown.join(', ')}. Known: ${SUITES.join(', ')}.`)
  process.exit(2)
}
// `instructions` needs valgrind and takes about ten minutes: run only when named.
const suites: readonly Suite[] =
  positionals.length === 0
    ? SUITES.filter((suite) => suite !== 'instructions')
    : positionals.filter(isSuite)
if (suites.includes('instructions')) {
  const valgrind = valgrindAvailability()
  if (!valgrind.available) {
    console.error(valgrind.message)
    process.exit(2)
  }
}

if (values.pin === true) {
  const plan = planPinning()
  if (plan === undefined) {
    console.error('--pin needs at least 2 CPUs: one for the servers, one for the load')
    process.exit(2)
  }
  enablePinning(plan)
}

const machine = describeMachine()
console.log(
  `${machine.date}  ${machine.cpus} CPU (${machine.cpuModel})  Node ${machine.node}  ` +
    `${machine.platform}  load ${machine.loadAverage.join(' ')}  client ${client} ${clientVersion}  ` +
    describePinning(),
)

const results: {
  machine: typeof machine
  client: { readonly name: LoadClient; readonly version: string }
  rest?: RestReport
  graphql?: GraphQLReport
  cli?: CliReport
  jobs?: JobsReport
  cache?: RestReport
  lambda?: LambdaReport
  channels?: ChannelsReport
  peers?: PeersReport
  alloc?: AllocReport
  workers?: WorkersReport
  warmup?: WarmupReport
  instructions?: InstructionsReport
} = { machine, client: { name: client, version: clientVersion } }
const sections: string[] = []

const resultsDir = fileURLToPath(new URL('../results/', import.meta.url))

/** The load flags every HTTP suite shares, over that suite's defaults. */
function loadSettings(defaults: {
  readonly rounds: number
  readonly durationSeconds: number
  readonly warmupSeconds: number
  readonly connections: number
}) {
  return {
    rounds: positiveNumber(values.rounds, defaults.rounds, 'rounds'),
    durationSeconds: positiveNumber(values.duration, defaults.durationSeconds, 'duration'),
    warmupSeconds: positiveNumber(values.warmup, defaults.warmupSeconds, 'warmup'),
    connections: positiveNumber(values.connections, defaults.connections, 'connections'),
    client,
  }
}

if (suites.includes('rest')) {
  results.rest = await runRestBench({
    ...(values.profile === true ? { profileDir: `${resultsDir}profiles` } : {}),
    ...loadSettings(DEFAULT_REST_SETTINGS),
    concurrent: values.concurrent === true,
  })
  sections.push(formatRestReport(results.rest))
}
if (suites.includes('graphql')) {
  results.graphql = await runGraphQLBench({
    ...(values.profile === true ? { profileDir: `${resultsDir}profiles` } : {}),
    ...loadSettings(DEFAULT_GRAPHQL_SETTINGS),
  })
  sections.push(formatGraphQLReport(results.graphql))
}
if (suites.includes('cli')) {
  results.cli = runCliBench({
    runs: positiveNumber(values.runs, DEFAULT_CLI_SETTINGS.runs, 'runs'),
  })
  sections.push(formatCliReport(results.cli))
}

if (suites.includes('jobs')) {
  results.jobs = await runJobsBench({
    ...DEFAULT_JOBS_SETTINGS,
    rounds: positiveNumber(values.rounds, DEFAULT_JOBS_SETTINGS.rounds, 'rounds'),
  })
  sections.push(formatJobsReport(results.jobs))
}

if (suites.includes('cache')) {
  results.cache = await runCacheBench({
    ...loadSettings(DEFAULT_REST_SETTINGS),
    concurrent: values.concurrent === true,
  })
  sections.push(formatCacheReport(results.cache))
}

if (suites.includes('lambda')) {
  results.lambda = runLambdaBench({
    runs: positiveNumber(values.runs, DEFAULT_LAMBDA_SETTINGS.runs, 'runs'),
    app: lambdaApp(values.app),
  })
  sections.push(formatLambdaReport(results.lambda))
}

if (suites.includes('channels')) {
  results.channels = await runChannelsBench({
    ...DEFAULT_CHANNELS_SETTINGS,
    rounds: positiveNumber(values.rounds, DEFAULT_CHANNELS_SETTINGS.rounds, 'rounds'),
    clients:
      values.clients === undefined
        ? DEFAULT_CHANNELS_SETTINGS.clients
        : values.clients.split(',').map((raw) => positiveNumber(raw, 0, 'clients')),
  })
  sections.push(formatChannelsReport(results.channels))
}

if (suites.includes('peers')) {
  results.peers = await runPeersBench(selectFrameworks(values.only), {
    ...loadSettings(DEFAULT_PEERS_SETTINGS),
    startupRuns: positiveNumber(values.runs, DEFAULT_PEERS_SETTINGS.startupRuns, 'runs'),
  })
  sections.push(formatPeersReport(results.peers))
}

if (suites.includes('alloc')) {
  results.alloc = await runAllocBench({
    ...DEFAULT_ALLOC_SETTINGS,
    ...(values.app === 'cache' || values.app === 'graphql' ? { app: values.app } : {}),
    ...(values.requests === undefined
      ? {}
      : { requests: positiveNumber(values.requests, DEFAULT_ALLOC_SETTINGS.requests, 'requests') }),
  })
  sections.push(formatAllocReport(results.alloc))
}

if (suites.includes('workers')) {
  results.workers = await runWorkersBench({
    ...DEFAULT_WORKERS_SETTINGS,
    ...loadSettings(DEFAULT_WORKERS_SETTINGS),
  })
  sections.push(formatWorkersReport(results.workers))
}

if (suites.includes('warmup')) {
  results.warmup = await runWarmupBench({
    ...DEFAULT_WARMUP_SETTINGS,
    client,
    runs: positiveNumber(values.runs, DEFAULT_WARMUP_SETTINGS.runs, 'runs'),
  })
  sections.push(formatWarmupReport(results.warmup))
}

if (suites.includes('instructions')) {
  results.instructions = await runInstructionsBench({
    ...DEFAULT_INSTRUCTIONS_SETTINGS,
    rounds: positiveNumber(values.rounds, DEFAULT_INSTRUCTIONS_SETTINGS.rounds, 'rounds'),
    requests: positiveNumber(values.requests, DEFAULT_INSTRUCTIONS_SETTINGS.requests, 'requests'),
    attribute: values.profile === true,
  })
  sections.push(formatInstructionsReport(results.instructions))
}

console.log(`\n${sections.join('\n\n')}`)

mkdirSync(resultsDir, { recursive: true })
const file = `${resultsDir}${machine.date.replace(/[:.]/g, '-')}-${suites.join('-')}.json`
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`)
console.log(`\nRaw figures: ${file}`)
