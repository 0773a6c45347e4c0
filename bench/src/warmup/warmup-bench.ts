import { fileURLToPath } from 'node:url'
import { runLoad, type LoadClient } from '../lib/load.ts'
import { startServerProcess, type ServerProcess } from '../lib/server-process.ts'
import { startServeyStart } from '../lib/servey-start-process.ts'
import { median } from '../lib/stats.ts'
import { formatNumber, formatTable } from '../lib/table.ts'
import { BENCH_ROUTES } from '../rest/routes.ts'

/**
 * `pnpm bench warmup` (issue 13, point 4): server CPU per request second by second from a cold
 * start, `servey start` beside raw Fastify on the REST suite's GET route. A fresh process per
 * run, no warm-up: the first windows are what the first users of a new process pay. Both sides
 * are measured alike so that the part of the cold cost that is Node's and V8's (tiering up the
 * HTTP parser, Fastify and pino from the interpreter to optimized code) shows on both.
 */
export interface WarmupBenchSettings {
  /** Fresh processes per side, alternating which side goes first. */
  readonly runs: number
  /** Consecutive windows of `windowSeconds` each. */
  readonly windows: number
  readonly windowSeconds: number
  readonly connections: number
  /** The load generator (default autocannon); `--client`. */
  readonly client?: LoadClient
}

export const DEFAULT_WARMUP_SETTINGS: WarmupBenchSettings = {
  runs: 3,
  windows: 8,
  windowSeconds: 1,
  connections: 50,
}

type Side = 'servey' | 'raw'
const SIDES: readonly Side[] = ['servey', 'raw']

export interface WarmupReport {
  readonly settings: WarmupBenchSettings
  readonly route: string
  /** Per side, per window: the median over runs of server CPU µs per request. */
  readonly cpuMicrosPerRequest: Readonly<Record<Side, readonly number[]>>
  readonly requestsPerSecond: Readonly<Record<Side, readonly number[]>>
}

function start(side: Side): Promise<ServerProcess> {
  return side === 'servey'
    ? startServeyStart({
        entry: fileURLToPath(new URL('../rest/app/actions.ts', import.meta.url)),
        cwd: fileURLToPath(new URL('../../', import.meta.url)),
      })
    : startServerProcess({
        name: 'raw fastify',
        entry: fileURLToPath(new URL('../rest/raw-server.ts', import.meta.url)),
        stdout: 'ignore',
      })
}

export async function runWarmupBench(
  settings: WarmupBenchSettings,
  log: (line: string) => void = (line) => console.error(line),
): Promise<WarmupReport> {
  const route = BENCH_ROUTES.find((entry) => entry.method === 'GET')
  if (route === undefined) throw new Error('the REST suite has no GET route')
  const cpu: Record<Side, number[][]> = { servey: [], raw: [] }
  const rps: Record<Side, number[][]> = { servey: [], raw: [] }
  for (let run = 0; run < settings.runs; run++) {
    for (const side of run % 2 === 0 ? SIDES : [...SIDES].reverse()) {
      const server = await start(side)
      try {
        const cpuRun: number[] = []
        const rpsRun: number[] = []
        for (let window = 0; window < settings.windows; window++) {
          const before = await server.cpuMicros()
          const result = await runLoad({
            url: server.url + route.path,
            method: route.method,
            connections: settings.connections,
            durationSeconds: settings.windowSeconds,
            client: settings.client,
          })
          const after = await server.cpuMicros()
          cpuRun.push((after - before) / Math.max(1, result.responses))
          rpsRun.push(result.requestsPerSecond)
        }
        cpu[side].push(cpuRun)
        rps[side].push(rpsRun)
        log(`  run ${run + 1} ${side}: ${cpuRun.map((value) => value.toFixed(0)).join(' ')} µs/req`)
      } finally {
        await server.stop()
      }
    }
  }
  const byWindow = (runs: number[][]) =>
    Array.from({ length: settings.windows }, (_, window) =>
      median(runs.map((values) => values[window] ?? NaN)),
    )
  return {
    settings,
    route: route.label,
    cpuMicrosPerRequest: { servey: byWindow(cpu.servey), raw: byWindow(cpu.raw) },
    requestsPerSecond: { servey: byWindow(rps.servey), raw: byWindow(rps.raw) },
  }
}

export function formatWarmupReport(report: WarmupReport): string {
  const { windows, windowSeconds, runs } = report.settings
  const header = [
    'window',
    ...Array.from(
      { length: windows },
      (_, index) => `${index * windowSeconds}-${(index + 1) * windowSeconds} s`,
    ),
  ]
  const row = (label: string, values: readonly number[], digits = 1) => [
    label,
    ...values.map((value) => formatNumber(value, digits)),
  ]
  return [
    `Warm-up from a cold start, ${report.route} (median of ${runs} fresh processes per side)`,
    '',
    formatTable(header, [
      row('servey start, CPU µs/req', report.cpuMicrosPerRequest.servey),
      row('raw Fastify, CPU µs/req', report.cpuMicrosPerRequest.raw),
      row('servey start, req/s', report.requestsPerSecond.servey, 0),
      row('raw Fastify, req/s', report.requestsPerSecond.raw, 0),
      row(
        'CPU ratio',
        report.cpuMicrosPerRequest.servey.map(
          (value, index) => value / (report.cpuMicrosPerRequest.raw[index] ?? NaN),
        ),
        2,
      ),
    ]),
  ].join('\n')
}
