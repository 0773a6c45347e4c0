import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sendRequests } from '../lib/send-requests.ts'
import { startServerProcess, type ServerProcess } from '../lib/server-process.ts'
import { startServeyStart } from '../lib/servey-start-process.ts'
import { median } from '../lib/stats.ts'
import { formatNumber, formatRatio, formatTable } from '../lib/table.ts'
import { BENCH_ROUTES, type BenchRoute } from '../rest/routes.ts'
import {
  callgrindLauncher,
  codeNames,
  dumpCounters,
  perfMapOf,
  selfCosts,
  zeroCounters,
  type InstructionCount,
} from './callgrind.ts'

/**
 * `pnpm bench instructions`: machine instructions per request, `servey start` against raw
 * Fastify on the REST suite's routes, each server run under valgrind's callgrind. Unlike CPU
 * time, an instruction count does not move with the machine's load or the neighbours of a
 * virtual machine: the same requests on the same build count the same within about 1 %. It is
 * not a time (a cache miss costs more than an instruction), so it complements the CPU figures of
 * `pnpm bench rest`; where those are too noisy to decide, this one decides what changed.
 */
export interface InstructionsBenchSettings {
  /** Requests sent per side and route before anything is counted, 10 at a time. */
  readonly warmupRequests: number
  /** Requests per counted run, one at a time (one request per event-loop turn). */
  readonly requests: number
  /** Counted runs per route, both sides at once. */
  readonly rounds: number
  /** Name where the extra instructions go (V8's perf map): slower start, same counts. */
  readonly attribute: boolean
}

export const DEFAULT_INSTRUCTIONS_SETTINGS: InstructionsBenchSettings = {
  warmupRequests: 30_000,
  requests: 4_000,
  rounds: 5,
  attribute: false,
}

/** At most this many uncounted runs while the JIT settles, each as long as a counted one. */
const MAX_SETTLING_RUNS = 10
/** Settled: a run within this fraction of the previous one, on both sides. */
const SETTLED = 0.02
/** Valgrind runs Node about 50 times slower: start-up takes minutes. */
const START_TIMEOUT_MS = 900_000

type Side = 'servey' | 'raw'
const SIDES: readonly Side[] = ['servey', 'raw']

interface Counted {
  readonly server: ServerProcess
  readonly outFile: string
  /** The dumps taken so far (callgrind numbers them from 1). */
  dumps: number
}

export interface InstructionsRouteReport {
  readonly route: BenchRoute
  /** Per counted round, instructions per request. */
  readonly rounds: readonly Readonly<Record<Side, { main: number; all: number }>>[]
  /** Uncounted runs before the counts settled. */
  readonly settlingRuns: number
  /** Servey's functions beyond raw Fastify's, instructions per request, largest first. */
  readonly extra?: readonly { readonly name: string; readonly instructions: number }[]
}

export interface InstructionsReport {
  readonly settings: InstructionsBenchSettings
  readonly routes: readonly InstructionsRouteReport[]
}

const BENCH_DIR = fileURLToPath(new URL('../../', import.meta.url))

async function startSide(side: Side, dir: string, attribute: boolean): Promise<Counted> {
  const outFile = join(dir, `${side}.callgrind`)
  const launcher = callgrindLauncher(outFile)
  const nodeArgs = attribute ? ['--perf-basic-prof'] : []
  const server =
    side === 'servey'
      ? await startServeyStart({
          entry: fileURLToPath(new URL('../rest/app/actions.ts', import.meta.url)),
          cwd: BENCH_DIR,
          nodeArgs,
          launcher,
          timeoutMs: START_TIMEOUT_MS,
          // Under valgrind every request takes ~50 times as long, so the event-loop delay
          // monitor would shed load; it runs on a timer, not per request, and costs nothing
          // per request at real speed. One process, so the counters are the server's.
          env: { SERVEY_MAX_EVENT_LOOP_DELAY: 'off', SERVEY_WORKERS: '1' },
        })
      : await startServerProcess({
          name: 'raw fastify',
          entry: fileURLToPath(new URL('../rest/raw-server.ts', import.meta.url)),
          env: { NODE_ENV: 'production' },
          nodeArgs,
          launcher,
          stdout: 'ignore',
          timeoutMs: START_TIMEOUT_MS,
        })
  return { server, outFile, dumps: 0 }
}

async function count(
  side: Counted,
  route: BenchRoute,
  requests: number,
): Promise<InstructionCount> {
  await zeroCounters(side.server.pid)
  await sendRequests(side.server.url, route, requests, 1)
  side.dumps += 1
  return dumpCounters(side.server.pid, side.outFile, side.dumps)
}

function perRequest(counted: InstructionCount, requests: number): { main: number; all: number } {
  return { main: counted.main / requests, all: counted.all / requests }
}

async function benchRoute(
  route: BenchRoute,
  sides: Readonly<Record<Side, Counted>>,
  settings: InstructionsBenchSettings,
): Promise<InstructionsRouteReport> {
  await Promise.all(
    SIDES.map((side) => sendRequests(sides[side].server.url, route, settings.warmupRequests, 10)),
  )
  // Both sides are counted in the same runs, so neither sits idle through the other's. Taking
  // turns, runs after an idle spell counted up to 3 times the settled figure, and both servers
  // ended where process.nextTick's tick objects went through V8's runtime, a quarter of each
  // request (BENCHMARKS.md, 2026-12-08); why idling leads there is not known. The JIT also
  // keeps compiling, on its own threads, for a while after the warm-up: runs are uncounted
  // until two in a row agree on both sides.
  const countBoth = async () => {
    const [servey, raw] = await Promise.all(
      SIDES.map((side) => count(sides[side], route, settings.requests)),
    )
    return { servey: servey as InstructionCount, raw: raw as InstructionCount }
  }
  let settlingRuns = 0
  let previous: Record<Side, InstructionCount> | undefined
  while (settlingRuns < MAX_SETTLING_RUNS) {
    const now = await countBoth()
    settlingRuns++
    const before = previous
    previous = now
    if (
      before !== undefined &&
      SIDES.every((side) => Math.abs(now[side].all / before[side].all - 1) <= SETTLED)
    ) {
      break
    }
  }
  const rounds: Record<Side, { main: number; all: number }>[] = []
  let last: Record<Side, InstructionCount> | undefined
  for (let round = 0; round < settings.rounds; round++) {
    last = await countBoth()
    rounds.push({
      servey: perRequest(last.servey, settings.requests),
      raw: perRequest(last.raw, settings.requests),
    })
  }
  const report: InstructionsRouteReport = { route, rounds, settlingRuns }
  if (!settings.attribute || last === undefined) return report
  return { ...report, extra: await extraFunctions(sides, last, settings.requests) }
}

/** Where Servey's event-loop thread runs more instructions than raw Fastify's, per request. */
async function extraFunctions(
  sides: Readonly<Record<Side, Counted>>,
  last: Readonly<Record<Side, InstructionCount>>,
  requests: number,
): Promise<{ name: string; instructions: number }[]> {
  const costs: Partial<Record<Side, Map<string, number>>> = {}
  for (const side of SIDES) {
    const map = perfMapOf(sides[side].server.pid)
    if (map === undefined) return []
    costs[side] = await selfCosts(last[side].mainFile, codeNames(map))
  }
  const servey = costs.servey as Map<string, number>
  const raw = costs.raw as Map<string, number>
  return [...new Set([...servey.keys(), ...raw.keys()])]
    .map((name) => ({
      name,
      instructions: ((servey.get(name) ?? 0) - (raw.get(name) ?? 0)) / requests,
    }))
    .filter((entry) => entry.instructions > 0)
    .sort((a, b) => b.instructions - a.instructions)
}

export async function runInstructionsBench(
  settings: InstructionsBenchSettings,
): Promise<InstructionsReport> {
  const dir = mkdtempSync(join(tmpdir(), 'servey-instructions-'))
  const started: Counted[] = []
  try {
    const [servey, raw] = await Promise.all(
      SIDES.map(async (side) => {
        const counted = await startSide(side, dir, settings.attribute)
        started.push(counted)
        return counted
      }),
    )
    const sides = { servey: servey as Counted, raw: raw as Counted }
    const routes: InstructionsRouteReport[] = []
    for (const route of BENCH_ROUTES) routes.push(await benchRoute(route, sides, settings))
    return { settings, routes }
  } finally {
    await Promise.all(started.map((side) => side.server.stop()))
    for (const side of started) rmSync(`/tmp/perf-${side.server.pid}.map`, { force: true })
    rmSync(dir, { recursive: true, force: true })
  }
}

export function formatInstructionsReport(report: InstructionsReport, top = 25): string {
  const { settings } = report
  const lines = [
    `Instructions per request (callgrind; ${settings.requests} requests one at a time per run, ` +
      `${settings.rounds} runs of both servers at once, after ${settings.warmupRequests} requests to warm up and until two runs agree; ` +
      'all threads, and the event-loop thread alone)',
    '',
    formatTable(
      ['route', 'servey start', 'raw Fastify', 'ratio', 'event loop', 'runs (ratio)'],
      report.routes.map((entry) => {
        const all = (side: Side) => median(entry.rounds.map((round) => round[side].all))
        const main = (side: Side) => median(entry.rounds.map((round) => round[side].main))
        const ratios = entry.rounds.map((round) => round.servey.all / round.raw.all)
        return [
          entry.route.label,
          formatNumber(all('servey')),
          formatNumber(all('raw')),
          formatRatio(all('servey') / all('raw')),
          formatRatio(main('servey') / main('raw')),
          `${formatRatio(Math.min(...ratios))} to ${formatRatio(Math.max(...ratios))}`,
        ]
      }),
    ),
  ]
  for (const entry of report.routes) {
    if (entry.extra === undefined) continue
    lines.push(
      '',
      `${entry.route.label}: where Servey's event loop runs more (instructions per request, ` +
        'by function, not counting callees)',
      formatTable(
        ['function', 'instructions'],
        entry.extra
          .slice(0, top)
          .map(({ name, instructions }) => [name.slice(0, 110), formatNumber(instructions)]),
      ),
    )
  }
  return lines.join('\n')
}
