import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { freePort } from '../../lib/free-port.ts'
import { stopChild } from '../../lib/server-process.ts'
import { serveyStartCommand } from '../../lib/servey-start-process.ts'
import { median } from '../../lib/stats.ts'
import { formatRatio, formatTable } from '../../lib/table.ts'
import { LAST_ROUTE_REQUEST, STARTUP_ROUTES } from './routes.ts'

export interface StartupSide {
  readonly id: string
  readonly label: string
  /** Milliseconds from spawn to the first 200 of the last route, one per fresh process. */
  readonly runsMs: readonly number[]
  readonly medianMs: number
  readonly minMs: number
  readonly maxMs: number
}

export interface StartupReport {
  readonly routes: number
  readonly runs: number
  readonly sides: readonly StartupSide[]
}

interface Starter {
  readonly id: string
  readonly label: string
  command(port: number): { readonly args: readonly string[]; readonly env: NodeJS.ProcessEnv }
}

const TSX_LOADER = import.meta.resolve('tsx')
const BENCH_DIR = fileURLToPath(new URL('../../../', import.meta.url))

function entry(name: string): string {
  return fileURLToPath(new URL(name, import.meta.url))
}

/** A peer's start-up entry through tsx, as the load suite runs it; it listens on PORT. */
function peer(id: string, label: string, file: string): Starter {
  return {
    id,
    label,
    command: (port) => ({
      args: ['--import', TSX_LOADER, entry(file)],
      env: { ...process.env, NODE_ENV: 'production', PORT: String(port) },
    }),
  }
}

const STARTERS: readonly Starter[] = [
  {
    id: 'servey',
    label: `servey start, ${STARTUP_ROUTES} actions`,
    command: (port) =>
      serveyStartCommand(
        { entry: entry('./servey-app.ts'), cwd: BENCH_DIR, env: { LOG_LEVEL: 'warn' } },
        port,
      ),
  },
  peer('fastify', `raw Fastify, ${STARTUP_ROUTES} routes`, './fastify-server.ts'),
  peer('nest-zod', `NestJS + standard-schema pipe, ${STARTUP_ROUTES} routes`, './nest-server.ts'),
  peer('hono', `Hono + zod-validator, ${STARTUP_ROUTES} routes`, './hono-server.ts'),
  peer('express', `Express 5 + express-validator, ${STARTUP_ROUTES} routes`, './express-server.ts'),
]

export interface StartupSettings {
  readonly runs: number
  /** Framework ids (`--only`); the start-up sides among them run. */
  readonly only: readonly string[]
}

/**
 * Start-up time to the first answer: a fresh process per run, timed from spawn to the first
 * 200 of the last of its 100 routes (polled every 5 ms), then stopped. Runs alternate between
 * the servers so drift hits all alike; the median is reported.
 */
export async function runStartupBench(settings: StartupSettings): Promise<StartupReport> {
  const starters = STARTERS.filter((starter) => settings.only.includes(starter.id))
  const runs = new Map<string, number[]>(starters.map((starter) => [starter.id, []]))
  console.log(
    `start-up: ${settings.runs} fresh processes each, ${starters.map((s) => s.id).join(', ')}`,
  )
  for (let run = 0; run < settings.runs; run++) {
    const order = starters.map((_, index) => starters[(index + run) % starters.length] as Starter)
    for (const starter of order) {
      const ms = await timeToFirstAnswer(starter)
      runs.get(starter.id)?.push(ms)
      console.log(`  run ${run + 1}/${settings.runs} ${starter.id.padEnd(9)} ${ms.toFixed(0)} ms`)
    }
  }
  return {
    routes: STARTUP_ROUTES,
    runs: settings.runs,
    sides: starters.map((starter) => {
      const values = runs.get(starter.id) ?? []
      return {
        id: starter.id,
        label: starter.label,
        runsMs: values,
        medianMs: median(values),
        minMs: Math.min(...values),
        maxMs: Math.max(...values),
      }
    }),
  }
}

async function timeToFirstAnswer(starter: Starter): Promise<number> {
  const port = await freePort()
  const { args, env } = starter.command(port)
  const started = performance.now()
  const child = spawn(process.execPath, args, {
    cwd: BENCH_DIR,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const url = `http://127.0.0.1:${port}${LAST_ROUTE_REQUEST}`
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${starter.id} exited before it answered (code ${child.exitCode})`)
      }
      try {
        const response = await fetch(url)
        await response.arrayBuffer()
        if (response.status === 200) return performance.now() - started
      } catch {
        // not listening yet
      }
      if (performance.now() - started > 60_000) {
        throw new Error(`${starter.id} did not answer ${LAST_ROUTE_REQUEST} within 60 s`)
      }
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  } finally {
    await stopChild(child)
  }
}

export function formatStartupReport(report: StartupReport): string {
  const fastify = report.sides.find((side) => side.id === 'fastify')
  const rows = report.sides.map((side) => [
    side.label,
    side.medianMs.toFixed(0),
    side.minMs.toFixed(0),
    side.maxMs.toFixed(0),
    formatRatio(side.medianMs / (fastify?.medianMs ?? Number.NaN)),
  ])
  return [
    `Start-up to the first answer of the last of ${report.routes} routes (fresh process, median of ${report.runs})`,
    formatTable(['server', 'median ms', 'min ms', 'max ms', 'ratio to Fastify'], rows),
  ].join('\n')
}
