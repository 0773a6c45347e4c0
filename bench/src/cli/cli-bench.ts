import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { median } from '../lib/stats.ts'
import { formatTable } from '../lib/table.ts'

export interface CliBenchSettings {
  readonly runs: number
}

export const DEFAULT_CLI_SETTINGS: CliBenchSettings = { runs: 10 }

/** servey run must finish (start-up, load the app, invoke, print) within this. */
export const CLI_GOAL_MS = 500

export interface Timing {
  readonly medianMs: number
  readonly minMs: number
  readonly maxMs: number
  readonly samples: readonly number[]
}

export interface CliReport {
  readonly settings: CliBenchSettings
  readonly command: string
  readonly servey: Timing
  readonly bareNode: Timing
  /** The answer printed by the verification run. */
  readonly output: string
}

const HELLO_DIR = fileURLToPath(new URL('../../../examples/hello/', import.meta.url))
const SERVEY_BIN = `${HELLO_DIR}node_modules/.bin/servey`
const SERVEY_ARGS = ['run', '--action=say_hello', '--event={"name":"World"}']

interface Command {
  readonly file: string
  readonly args: readonly string[]
}

function timeOnce(command: Command): {
  ms: number
  status: number | null
  stdout: string
  stderr: string
} {
  const started = performance.now()
  const result = spawnSync(command.file, command.args, {
    cwd: HELLO_DIR,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const ms = performance.now() - started
  if (result.error !== undefined) throw result.error
  return { ms, status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** How a user would type the argument: --event='{"name":"World"}'. */
function quoteForShell(arg: string): string {
  const match = /^(--[a-z-]+=)(.*[^\w@%+=:,./-].*)$/i.exec(arg)
  return match === null ? arg : `${match[1]}'${match[2]}'`
}

function timing(samples: readonly number[]): Timing {
  return {
    medianMs: median(samples),
    minMs: Math.min(...samples),
    maxMs: Math.max(...samples),
    samples,
  }
}

/** Wall time of `servey run` in examples/hello vs a bare `node -e ''`, runs interleaved. */
export function runCliBench(settings: CliBenchSettings): CliReport {
  if (!existsSync(SERVEY_BIN)) {
    throw new Error(`${SERVEY_BIN} is missing: run pnpm install at the repository root first`)
  }
  const servey: Command = { file: SERVEY_BIN, args: SERVEY_ARGS }
  const bareNode: Command = { file: process.execPath, args: ['-e', ''] }

  // One unmeasured run: checks the command works and warms the file system cache.
  const check = timeOnce(servey)
  if (check.status !== 0 || !check.stdout.includes('Hello World!')) {
    throw new Error(
      `servey run failed (exit ${check.status}):\n${check.stdout}${check.stderr}`.trimEnd(),
    )
  }
  timeOnce(bareNode)

  const serveySamples: number[] = []
  const nodeSamples: number[] = []
  for (let run = 0; run < settings.runs; run++) {
    nodeSamples.push(timeOnce(bareNode).ms)
    const result = timeOnce(servey)
    if (result.status !== 0) throw new Error(`servey run exited with ${result.status}`)
    serveySamples.push(result.ms)
  }
  return {
    settings,
    command: `servey ${SERVEY_ARGS.map(quoteForShell).join(' ')}`,
    servey: timing(serveySamples),
    bareNode: timing(nodeSamples),
    output: check.stdout.trim(),
  }
}

export function formatCliReport(report: CliReport): string {
  const row = (label: string, value: Timing) => [
    label,
    `${value.medianMs.toFixed(0)} ms`,
    `${value.minMs.toFixed(0)} ms`,
    `${value.maxMs.toFixed(0)} ms`,
  ]
  const overhead = report.servey.medianMs - report.bareNode.medianMs
  const verdict = report.servey.medianMs < CLI_GOAL_MS ? 'met' : 'MISSED'
  return [
    `CLI: median of ${report.settings.runs} interleaved runs each, in examples/hello (output: ${report.output})`,
    formatTable(
      ['command', 'median', 'min', 'max'],
      [row(report.command, report.servey), row("node -e ''", report.bareNode)],
    ),
    `servey run costs ${overhead.toFixed(0)} ms over a bare node start; goal (< ${CLI_GOAL_MS} ms total) ${verdict}`,
  ].join('\n')
}
