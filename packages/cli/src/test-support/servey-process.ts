/**
 * Test helpers: run the real `servey` binary in a child process, against the fixture apps in
 * test-fixtures/ (or copies of them), with every wait bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { notReadyMessage, PROCESS_START_TIMEOUT_MS } from '@servey/testing'

export const BIN = fileURLToPath(new URL('../../bin/servey.js', import.meta.url))
export const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url))

export function fixture(name: string): string {
  return join(PACKAGE_DIR, 'test-fixtures', name)
}

export interface RunResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

export interface RunOptions {
  readonly cwd: string
  /** Piped to stdin; without it stdin is /dev/null (not a TTY, and empty). */
  readonly input?: string
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly timeoutMs?: number
}

function childEnv(extra: RunOptions['env']): NodeJS.ProcessEnv {
  // Vitest's own settings must not leak into the app under test. One server process unless a
  // test asks for more: with REDIS_URL, `auto` would fork one per core in every test that
  // starts a server (workers.test.ts tests the cluster itself).
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: undefined,
    LOG_LEVEL: undefined,
    SERVEY_WORKERS: '1',
  }
  for (const [key, value] of Object.entries(extra ?? {})) env[key] = value
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key]
  return env
}

/** Run `servey <args>` to completion. */
export function runServey(args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: childEnv(options.env),
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timeoutMs = options.timeoutMs ?? 15_000
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      const output = `stdout: ${stdout}\nstderr: ${stderr}`
      reject(
        new Error(notReadyMessage(`servey ${args.join(' ')} (run to its end)`, timeoutMs, output)),
      )
    }, timeoutMs)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
    if (options.input !== undefined) child.stdin?.end(options.input)
  })
}

/** A long-running `servey` (dev, start) whose output can be awaited. */
export interface ServeyProcess {
  readonly child: ChildProcess
  stdout(): string
  stderr(): string
  /** Resolves with the first match of `pattern` in stdout + stderr after `from` characters. */
  waitFor(
    pattern: RegExp,
    options?: { timeoutMs?: number; from?: number },
  ): Promise<RegExpMatchArray>
  /**
   * `waitFor` for a line that says the process (or a process it forked) has started: waits up
   * to PROCESS_START_TIMEOUT_MS by default, which a start on a shared CI machine can take, and
   * fails with notReadyMessage (what it waited for, the load average, the output).
   */
  ready(pattern: RegExp, options?: { timeoutMs?: number; from?: number }): Promise<RegExpMatchArray>
  /** Resolves with `servey start`'s URL once it serves (`"api":"http://…"` in its log). */
  serving(): Promise<string>
  /** Total output length so far: pass it as `from` to wait only for newer output. */
  mark(): number
  /** Send a signal and wait for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

/** The JSON log line of `servey start` that says where it serves. */
const SERVING = /"api":"(http:\/\/[^"]+)"/

export function startServey(args: readonly string[], options: RunOptions): ServeyProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  let all = ''
  const listeners = new Set<() => void>()
  const notify = (): void => listeners.forEach((listener) => listener())
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk
    all += chunk
    notify()
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk
    all += chunk
    notify()
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  exited.then(notify, notify)

  return {
    child,
    stdout: () => out,
    stderr: () => err,
    mark: () => all.length,
    waitFor(pattern, { timeoutMs = 15_000, from = 0 } = {}) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const match = all.slice(from).match(pattern)
          if (match !== null) {
            done()
            resolve(match)
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done()
            reject(new Error(`servey exited before printing ${pattern}\n${all}`))
          }
        }
        const timer = setTimeout(() => {
          done()
          reject(new Error(`Timed out waiting for ${pattern}\n${all}`))
        }, timeoutMs)
        const done = (): void => {
          clearTimeout(timer)
          listeners.delete(check)
        }
        listeners.add(check)
        check()
      })
    },
    ready(pattern, { timeoutMs = PROCESS_START_TIMEOUT_MS, from = 0 } = {}) {
      return this.waitFor(pattern, { timeoutMs, from }).catch((error: unknown) => {
        // An exit is its own failure, already said with the output; a timeout is the load's.
        if (child.exitCode !== null || child.signalCode !== null) throw error
        throw new Error(
          notReadyMessage(`servey ${args.join(' ')} (waiting for ${pattern})`, timeoutMs, all),
        )
      })
    },
    async serving() {
      return (await this.ready(SERVING))[1] ?? ''
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      const code = await exited
      clearTimeout(timer)
      return code
    },
  }
}

/**
 * A private copy of a fixture app inside this package (so `@servey/core` still resolves
 * through packages/cli/node_modules), for tests that edit files. `.tmp-*` is git-ignored.
 */
export async function copyFixture(name: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(PACKAGE_DIR, '.tmp-'))
  await cp(fixture(name), dir, { recursive: true })
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}
