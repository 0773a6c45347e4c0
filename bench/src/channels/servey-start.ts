import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'

const BENCH_DIR = fileURLToPath(new URL('../../', import.meta.url))
// The real binary, as `pnpm exec servey` would run it from the bench package.
const SERVEY_BIN = fileURLToPath(
  new URL('../../node_modules/@servey/cli/bin/servey.js', import.meta.url),
)
export const SERVEY_APP = fileURLToPath(new URL('./servey-app.ts', import.meta.url))

export interface ServeyStart {
  readonly url: string
  readonly pid: number
  stop(): Promise<void>
}

/**
 * `servey start --port 0 --entry servey-app.ts` with its defaults (NODE_ENV=production, JSON
 * logs at info on stdout, docs on), in its own process: its pid is the server's, so its CPU and
 * memory can be read from /proc. `env` entries set to undefined are removed.
 */
export async function startServey(
  env: Readonly<Record<string, string | undefined>>,
  // Generous: on a 2-core machine shared with other test suites, start-up has taken over 60 s.
  timeoutMs = 180_000,
): Promise<ServeyStart> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: undefined, LOG_LEVEL: undefined }
  for (const [key, value] of Object.entries(env)) childEnv[key] = value
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key]
  const child = spawn(
    process.execPath,
    [SERVEY_BIN, 'start', '--port', '0', '--entry', SERVEY_APP],
    { cwd: BENCH_DIR, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const url = await waitForOrigin(child, timeoutMs)
  if (child.pid === undefined) throw new Error('servey start: no pid')
  return { url, pid: child.pid, stop: () => stop(child) }
}

function waitForOrigin(child: ChildProcess, timeoutMs: number): Promise<string> {
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`servey start did not listen within ${timeoutMs} ms\n${output}`))
    }, timeoutMs)
    const onExit = (code: number | null) => {
      clearTimeout(timer)
      reject(new Error(`servey start exited (code ${code}) before listening\n${output}`))
    }
    child.once('exit', onExit)
    // The log lines are read until the start line, then drained and dropped: a full pipe would
    // block the server's writes.
    const onData = (chunk: Buffer) => {
      if (output.length < 100_000) output += chunk.toString('utf8')
      const match = /"api":"(http:\/\/[^"]+)"/.exec(output)
      if (match !== null) {
        clearTimeout(timer)
        child.off('exit', onExit)
        output = 'x'.repeat(100_000)
        resolve(match[1] as string)
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
  })
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
  try {
    await exited
  } finally {
    clearTimeout(timer)
  }
}
