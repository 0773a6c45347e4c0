import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { pinServer } from './cpu-pinning.ts'
import { freePort } from './free-port.ts'
import { processCpuMicros } from './process-cpu.ts'
import { launched, stopChild, type ServerProcess } from './server-process.ts'

export interface ServeyStartOptions {
  /** The app's actions module, passed as `--entry`. */
  readonly entry: string
  /** The app's folder: the working directory of the command. */
  readonly cwd: string
  readonly nodeArgs?: readonly string[]
  readonly timeoutMs?: number
  /** Settings the suite sets on purpose (REDIS_URL, SERVEY_WORKERS, ...), applied last. */
  readonly env?: Readonly<Record<string, string>>
  /** A program that runs Node, with its arguments (`valgrind --tool=callgrind`). */
  readonly launcher?: readonly string[]
}

/**
 * The CLI as a user installs it from npm: its built JavaScript (`dist/main.js`, which is what
 * `bin/servey.js` imports when the package has no `src/`), loading @servey/* from their `dist/`;
 * only the app's own TypeScript goes through tsx, registered by the CLI. In this workspace the
 * bin would run the packages' TypeScript sources through tsx instead, and tsx's `keepNames`
 * output calls `__name()` for every closure created at run time, a cost no user pays.
 * `pnpm build` first.
 */
const SERVEY_MAIN = fileURLToPath(
  new URL('../../node_modules/@servey/cli/dist/main.js', import.meta.url),
)

/**
 * Settings of the bench's own environment that would change `servey start`'s defaults: the
 * server must run exactly as shipped (in-process jobs and cache, info logs as JSON to stdout).
 */
const NOT_INHERITED = /^(NODE_ENV|LOG_.*|REDIS_URL|JWT_SECRET_KEY|SERVEY_.*|PORT|HOST)$/

/**
 * The Node arguments and environment of `servey start --entry <entry>` on `port`: the CLI's
 * built JavaScript, the bench's environment less what would change its defaults, then the
 * suite's own settings. For the suites that spawn it themselves (start-up time).
 */
export function serveyStartCommand(
  options: ServeyStartOptions,
  port: number,
): { readonly args: readonly string[]; readonly env: NodeJS.ProcessEnv } {
  if (!existsSync(SERVEY_MAIN)) {
    throw new Error(`${SERVEY_MAIN} is missing: run \`pnpm build\` before \`pnpm bench\``)
  }
  const env: NodeJS.ProcessEnv = { PORT: String(port) }
  for (const [name, value] of Object.entries(process.env)) {
    if (!NOT_INHERITED.test(name)) env[name] = value
  }
  Object.assign(env, options.env)
  return {
    args: [...(options.nodeArgs ?? []), SERVEY_MAIN, 'start', '--entry', options.entry],
    env,
  }
}

/**
 * `servey start --entry <entry>` in its own process, the CLI's built JavaScript with its
 * defaults; only the port is chosen (PORT, a free one). Its stdout, the JSON log lines of every
 * request, goes to /dev/null: it is still formatted and written, as in production. Ready when
 * it answers HTTP at all.
 */
export async function startServeyStart(options: ServeyStartOptions): Promise<ServerProcess> {
  const port = await freePort()
  const { args, env } = serveyStartCommand(options, port)
  const [command, commandArgs] = launched(options.launcher, args)
  const child = spawn(command, commandArgs, {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const pid = child.pid
  if (pid === undefined) throw new Error('servey start: no pid')
  pinServer(pid)
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + (options.timeoutMs ?? 60_000)
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`servey start exited before it was ready (code ${child.exitCode})`)
    }
    try {
      // Any answer (a 404 too) means it listens: not every version serves /health.
      await (await fetch(`${url}/health`)).arrayBuffer()
      break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopChild(child)
      throw new Error('servey start did not answer HTTP in time')
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    name: 'servey start',
    url,
    pid,
    cpuMicros: () => {
      const micros = processCpuMicros(pid)
      if (micros === undefined) throw new Error('server CPU is read from /proc: Linux only')
      return Promise.resolve(micros)
    },
    stop: () => stopChild(child),
  }
}
