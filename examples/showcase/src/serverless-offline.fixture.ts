import { spawn } from 'node:child_process'
import { appendFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { SERVERLESS_BIN, SERVERLESS_ENV } from './serverless-project.fixture.ts'

/** A free loopback port from `from` up to `to` (exclusive). Each suite has its own range. */
async function freePort(from: number, to: number): Promise<number> {
  for (let port = from; port < to; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer()
      server.once('error', () => resolve(false))
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
    })
    if (free) return port
  }
  throw new Error(`no free port in ${from}-${to - 1}`)
}

export interface OfflineOptions {
  /** The ports tried, `[from, to)`: suites that run in parallel get disjoint ranges. */
  readonly ports: readonly [number, number]
  /** Lines added to serverless.yml's `custom.serverless-offline`, already indented. */
  readonly offlineSettings?: readonly string[]
  /** Top-level serverless.yml lines written before `plugins:`. */
  readonly topLevel?: readonly string[]
  /** Environment of `serverless offline start` (and, with localEnvironment, of the functions). */
  readonly env: (ports: OfflinePorts) => Record<string, string>
}

export interface OfflinePorts {
  readonly httpPort: number
  readonly lambdaPort: number
  readonly websocketPort: number
}

/**
 * `serverless offline start` on a generated project, on free ports, resolved once it prints
 * "Server ready". The output is kept for assertions and for the message of a failed wait.
 */
export async function startServerlessOffline(dir: string, options: OfflineOptions) {
  const [from, to] = options.ports
  const httpPort = await freePort(from, to)
  const lambdaPort = await freePort(httpPort + 1, to)
  const websocketPort = await freePort(lambdaPort + 1, to)
  const ports = { httpPort, lambdaPort, websocketPort }
  await appendFile(
    join(dir, 'serverless.yml'),
    [
      ...(options.topLevel ?? []),
      'plugins:',
      '  - serverless-offline',
      'custom:',
      '  serverless-offline:',
      '    host: 127.0.0.1',
      `    httpPort: ${httpPort}`,
      `    lambdaPort: ${lambdaPort}`,
      `    websocketPort: ${websocketPort}`,
      ...(options.offlineSettings ?? []),
      '',
    ].join('\n'),
  )
  const child = spawn(process.execPath, [SERVERLESS_BIN, 'offline', 'start', '--stage', 'dev'], {
    cwd: dir,
    env: { ...SERVERLESS_ENV, ...options.env(ports) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))

  /** Resolves when the output contains `text`; fails with the output so far after `ms`. */
  const waitForOutput = (text: string | RegExp, ms: number): Promise<void> => {
    const found = () => (typeof text === 'string' ? output.includes(text) : text.test(output))
    return new Promise((resolve, reject) => {
      const started = Date.now()
      const timer = setInterval(() => {
        if (found()) {
          clearInterval(timer)
          resolve()
        } else if (Date.now() - started > ms || child.exitCode !== null) {
          clearInterval(timer)
          reject(new Error(`serverless offline never printed ${String(text)}:\n${output}`))
        }
      }, 100)
    })
  }

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }

  const offline = { ...ports, output: () => output, waitForOutput, stop }
  try {
    // Generous: esbuild bundles and Serverless start slowly on a loaded 2-core machine.
    await waitForOutput('Server ready', 80_000)
  } catch (error) {
    await stop()
    throw error
  }
  return offline
}

export type ServerlessOffline = Awaited<ReturnType<typeof startServerlessOffline>>
