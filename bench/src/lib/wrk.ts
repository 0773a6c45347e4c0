import { spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { clockTicks } from './process-cpu.ts'
import type { LoadOptions, LoadResult } from './load.ts'

/**
 * wrk (https://github.com/wg/wrk), a load generator in C, as the bench's second client. On a
 * 2-core machine autocannon, which runs in the bench's own Node process, needs most of a core
 * to send 27,000 requests a second, and the servers measured get what is left; wrk sends the
 * same requests for a fraction of that CPU (each round reports both clients' cost per request).
 */

const SCRIPT = fileURLToPath(new URL('./wrk-report.lua', import.meta.url))
const RESULT_MARKER = 'SERVEY_WRK_RESULT '

/**
 * One wrk thread: it sends more than 100,000 requests a second on one core, several times what
 * the servers here answer, and a second thread would only take CPU from them on 2 cores.
 */
const WRK_THREADS = 1

export const WRK_INSTALL_HINT =
  'wrk is not installed (or not on PATH). Install it with `apt-get install -y wrk` ' +
  '(Debian, Ubuntu) or `brew install wrk` (macOS), or run the bench with --client=autocannon.'

export type WrkAvailability =
  | { readonly available: true; readonly version: string }
  | { readonly available: false; readonly message: string }

/** Whether a wrk binary is on PATH, and which version (`wrk -v` prints it, then its usage). */
export function wrkAvailability(): WrkAvailability {
  const probe = spawnSync('wrk', ['-v'], { encoding: 'utf8', timeout: 10_000 })
  const version = /^wrk (\S+)/m.exec(`${probe.stdout ?? ''}`)
  if (probe.error !== undefined || version === null) {
    return { available: false, message: WRK_INSTALL_HINT }
  }
  return { available: true, version: version[1] as string }
}

/** What wrk-report.lua prints at the end of a run. */
interface WrkReport {
  readonly durationMicros: number
  readonly requests: number
  readonly expected: number
  readonly unexpected: number
  readonly errors: {
    readonly connect: number
    readonly read: number
    readonly write: number
    readonly status: number
    readonly timeout: number
  }
  readonly latencyMicros: { readonly p50: number; readonly p99: number; readonly max: number }
  /** wrk's own CPU time (user + system, all threads) in clock ticks; -1 without /proc. */
  readonly cpuTicks: number
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= -1
}

function hasCounts(value: unknown, keys: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null) return false
  const record = value as Record<string, unknown>
  return keys.every((key) => isCount(record[key]))
}

function isWrkReport(value: unknown): value is WrkReport {
  if (!hasCounts(value, ['durationMicros', 'requests', 'expected', 'unexpected', 'cpuTicks'])) {
    return false
  }
  const report = value as Record<string, unknown>
  return (
    hasCounts(report['errors'], ['connect', 'read', 'write', 'status', 'timeout']) &&
    hasCounts(report['latencyMicros'], ['p50', 'p99', 'max'])
  )
}

/**
 * A wrk run's stdout (its text, then wrk-report.lua's result line) as the bench's round result.
 * Successes are the answers the script counted as expected (2xx, or `expectedStatus`);
 * `non2xx` is every other answer, 1xx and 3xx included, which wrk's own text leaves out.
 * Latencies are wrk's: note that wrk corrects its histogram for coordinated omission
 * (`stats_correct`), which adds samples above twice the mean, so its p99 compares with other
 * wrk runs, not with autocannon's.
 */
export function parseWrkOutput(stdout: string, ticksPerSecond = clockTicks()): LoadResult {
  const line = stdout.split('\n').find((entry) => entry.startsWith(RESULT_MARKER))
  if (line === undefined) {
    throw new Error(`wrk printed no ${RESULT_MARKER.trim()} line; its output was:\n${stdout}`)
  }
  let report: unknown
  try {
    report = JSON.parse(line.slice(RESULT_MARKER.length))
  } catch (error) {
    throw new Error(`wrk's result line is not JSON (${(error as Error).message}): ${line}`)
  }
  if (!isWrkReport(report)) throw new Error(`wrk's result line lacks a field: ${line}`)
  if (report.expected + report.unexpected !== report.requests) {
    throw new Error(
      `wrk counted ${report.requests} answers but its script ${report.expected} + ` +
        `${report.unexpected}: ${line}`,
    )
  }
  const seconds = report.durationMicros / 1_000_000
  const successes = report.expected
  const { connect, read, write, timeout } = report.errors
  return {
    client: 'wrk',
    requestsPerSecond: seconds > 0 ? successes / seconds : 0,
    p50Ms: report.latencyMicros.p50 / 1000,
    p99Ms: report.latencyMicros.p99 / 1000,
    responses: successes,
    non2xx: report.unexpected,
    errors: connect + read + write,
    timeouts: timeout,
    clientCpuMicrosPerRequest:
      report.cpuTicks < 0
        ? Number.NaN
        : ((report.cpuTicks / ticksPerSecond) * 1_000_000) / Math.max(1, report.requests),
  }
}

/** The arguments and environment of one wrk run of `options`. */
export function wrkCommand(options: LoadOptions): {
  readonly args: readonly string[]
  readonly env: NodeJS.ProcessEnv
} {
  if (!Number.isInteger(options.durationSeconds) || options.durationSeconds < 1) {
    throw new Error(`wrk runs whole seconds: ${options.durationSeconds} s is not one`)
  }
  const headers = Object.entries(options.headers ?? {}).flatMap(([name, value]) => [
    '--header',
    `${name}: ${value}`,
  ])
  return {
    args: [
      '--threads',
      String(WRK_THREADS),
      '--connections',
      String(options.connections),
      '--duration',
      `${options.durationSeconds}s`,
      // autocannon's default, so a slow answer counts the same with either client.
      '--timeout',
      '10s',
      '--script',
      SCRIPT,
      ...headers,
      options.url,
    ],
    env: {
      ...process.env,
      SERVEY_WRK_METHOD: options.method,
      SERVEY_WRK_BODY: options.body ?? '',
      SERVEY_WRK_EXPECTED_STATUS:
        options.expectedStatus === undefined ? '' : String(options.expectedStatus),
    },
  }
}

/** One wrk run (a child process); rejects with wrk's own message when it fails. */
export async function runWrk(options: LoadOptions): Promise<LoadResult> {
  const { args, env } = wrkCommand(options)
  const child = spawn('wrk', args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error(WRK_INSTALL_HINT) : error),
    )
    child.once('close', resolve)
  })
  if (code !== 0) {
    throw new Error(`wrk exited with code ${String(code)}: ${(stderr || stdout).trim()}`)
  }
  return parseWrkOutput(stdout)
}
