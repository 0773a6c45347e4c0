import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { median } from '../lib/stats.ts'
import { formatTable } from '../lib/table.ts'

export interface CliBenchSettings {
  readonly runs: number
}

export const DEFAULT_CLI_SETTINGS: CliBenchSettings = { runs: 10 }

/**
 * servey run, with the framework loaded from built JavaScript as installed from npm, must
 * finish (start-up, load the app, invoke, print) within this (issue 11, point 8).
 */
export const CLI_GOAL_MS = 300

export interface Timing {
  readonly medianMs: number
  readonly minMs: number
  readonly maxMs: number
  readonly samples: readonly number[]
}

export interface CliReport {
  readonly settings: CliBenchSettings
  readonly command: string
  /** The built CLI (dist/, as npm installs it): the figure the goal is about. */
  readonly servey: Timing
  /** The workspace's bin, which runs the packages' TypeScript sources through tsx. */
  readonly workspace: Timing
  readonly bareNode: Timing
  /** The answer printed by the verification run. */
  readonly output: string
}

const HELLO_DIR = fileURLToPath(new URL('../../../examples/hello/', import.meta.url))
const PACKAGES_DIR = fileURLToPath(new URL('../../../packages/', import.meta.url))
/** The pnpm shim of the workspace, which runs the CLI from its TypeScript sources. */
const SERVEY_BIN = `${HELLO_DIR}node_modules/.bin/servey`
/**
 * What an installed `servey` runs: bin/servey.js imports dist/main.js when there is no src/
 * next to it (as in a package from npm), and dist/ imports the other @servey packages' dist/
 * (their `default` export condition; the source condition is the workspace's only).
 */
const BUILT_MAIN = join(PACKAGES_DIR, 'cli', 'dist', 'main.js')
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

/** Newest modification time of the files under `dir` (recursively), in ms. */
function newestMtime(dir: string, skip: (name: string) => boolean): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip(entry.name)) continue
    const path = join(dir, entry.name)
    newest = Math.max(
      newest,
      entry.isDirectory() ? newestMtime(path, skip) : statSync(path).mtimeMs,
    )
  }
  return newest
}

/** Refuses to time a dist/ that is missing or older than its sources (run `pnpm build`). */
function checkBuilt(): void {
  for (const name of readdirSync(PACKAGES_DIR)) {
    const src = join(PACKAGES_DIR, name, 'src')
    const built = join(PACKAGES_DIR, name, 'dist')
    if (!existsSync(src) || !existsSync(join(PACKAGES_DIR, name, 'tsconfig.build.json'))) continue
    const sources = newestMtime(src, (file) => /\.test\.|\.fixture\.|^test-support$/.test(file))
    if (!existsSync(built) || newestMtime(built, () => false) < sources) {
      throw new Error(
        `${built} is missing or older than ${src}: run npx -y pnpm@10.34.8 build first (the suite times the built CLI)`,
      )
    }
  }
}

function checkAnswer(label: string, command: Command): string {
  const check = timeOnce(command)
  if (check.status !== 0 || !check.stdout.includes('Hello World!')) {
    throw new Error(
      `${label}: servey run failed (exit ${check.status}):\n${check.stdout}${check.stderr}`.trimEnd(),
    )
  }
  return check.stdout.trim()
}

/**
 * Wall time of `servey run` in examples/hello, from the built CLI (as installed from npm) and
 * from the workspace's sources, vs a bare `node -e ''`, runs interleaved.
 */
export function runCliBench(settings: CliBenchSettings): CliReport {
  if (!existsSync(SERVEY_BIN)) {
    throw new Error(`${SERVEY_BIN} is missing: run pnpm install at the repository root first`)
  }
  checkBuilt()
  const servey: Command = { file: process.execPath, args: [BUILT_MAIN, ...SERVEY_ARGS] }
  const workspace: Command = { file: SERVEY_BIN, args: SERVEY_ARGS }
  const bareNode: Command = { file: process.execPath, args: ['-e', ''] }

  // One unmeasured run each: checks the command works and warms the file system cache (and
  // tsx's transform cache).
  const output = checkAnswer('built', servey)
  checkAnswer('workspace', workspace)
  timeOnce(bareNode)

  const serveySamples: number[] = []
  const workspaceSamples: number[] = []
  const nodeSamples: number[] = []
  const measure = (command: Command, samples: number[]): void => {
    const result = timeOnce(command)
    if (result.status !== 0) throw new Error(`servey run exited with ${result.status}`)
    samples.push(result.ms)
  }
  for (let run = 0; run < settings.runs; run++) {
    nodeSamples.push(timeOnce(bareNode).ms)
    measure(servey, serveySamples)
    measure(workspace, workspaceSamples)
  }
  return {
    settings,
    command: `servey ${SERVEY_ARGS.map(quoteForShell).join(' ')}`,
    servey: timing(serveySamples),
    workspace: timing(workspaceSamples),
    bareNode: timing(nodeSamples),
    output,
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
  const verdict = report.servey.medianMs <= CLI_GOAL_MS ? 'met' : 'MISSED'
  return [
    `CLI: median of ${report.settings.runs} interleaved runs each, in examples/hello (output: ${report.output})`,
    formatTable(
      ['command', 'median', 'min', 'max'],
      [
        row(`${report.command} (built JS, as installed)`, report.servey),
        row(`${report.command} (workspace sources, tsx)`, report.workspace),
        row("node -e ''", report.bareNode),
      ],
    ),
    `servey run (built) costs ${overhead.toFixed(0)} ms over a bare node start; goal (<= ${CLI_GOAL_MS} ms total) ${verdict}`,
  ].join('\n')
}
