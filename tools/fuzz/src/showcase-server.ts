import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
export const SHOWCASE_DIR = fileURLToPath(new URL('../../../examples/showcase/', import.meta.url))
export const SERVEY_BIN = fileURLToPath(
  new URL('../../../packages/cli/bin/servey.js', import.meta.url),
)

export interface RunningServer {
  readonly origin: URL
  readonly child: ChildProcess
  /** Log records at level error or worse, and anything the process wrote to stderr. */
  readonly problems: string[]
  alive(): boolean
  stop(): Promise<number | null>
}

/**
 * A real `servey start` of the showcase on a free port, as a user runs it: the production
 * server with its default limits and load shedding. Resolves once it logs its address.
 */
export function startShowcase(env: NodeJS.ProcessEnv = {}): Promise<RunningServer> {
  const child = spawn(process.execPath, [SERVEY_BIN, 'start'], {
    cwd: SHOWCASE_DIR,
    // One process, no Redis: the embedded default every user starts with.
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_URL: '',
      SERVEY_WORKERS: '1',
      NODE_ENV: 'production',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const problems: string[] = []
  let exited = false
  child.on('exit', () => {
    exited = true
  })
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (text: string) => problems.push(text))
  return new Promise((resolve, reject) => {
    let pending = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`servey start did not listen within 120 s: ${problems.join('')}`))
    }, 120_000)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`servey start exited with ${code}: ${problems.join('')}`))
    })
    child.stdout.setEncoding('utf8')
    let origin: URL | undefined
    child.stdout.on('data', (text: string) => {
      pending += text
      let newline = pending.indexOf('\n')
      while (newline !== -1) {
        const line = pending.slice(0, newline)
        pending = pending.slice(newline + 1)
        newline = pending.indexOf('\n')
        let record: { level?: number; api?: string; msg?: string } | undefined
        try {
          record = JSON.parse(line) as typeof record
        } catch {
          problems.push(line)
          continue
        }
        if ((record?.level ?? 0) >= 50) problems.push(line)
        if (origin === undefined && typeof record?.api === 'string') {
          origin = new URL(record.api)
          clearTimeout(timer)
          child.removeAllListeners('exit')
          child.on('exit', () => {
            exited = true
          })
          const found = origin
          resolve({
            origin: found,
            child,
            problems,
            alive: () => !exited,
            stop: () =>
              new Promise((done) => {
                if (exited) {
                  done(child.exitCode)
                  return
                }
                const kill = setTimeout(() => child.kill('SIGKILL'), 30_000)
                child.once('exit', (code) => {
                  clearTimeout(kill)
                  done(code)
                })
                child.kill('SIGTERM')
              }),
          })
        }
      }
    })
  })
}
