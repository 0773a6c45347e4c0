import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'

/** A `redis-server` of a test's own, which the test may stop and start again. */
export interface PrivateRedis {
  readonly url: string
  readonly port: number
  /** Starts it (again) on the same port and data directory; resolves once it answers PING. */
  start(): Promise<void>
  /** Stops it the way an operator would (SIGTERM: it writes its append-only file and exits). */
  stop(): Promise<void>
  /** Stops it for good and deletes its data. */
  dispose(): Promise<void>
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no free port')
  return address.port
}

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  })
  client.on('error', () => undefined)
  try {
    await client.connect()
    return (await client.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    client.disconnect()
  }
}

/**
 * Starts a private `redis-server` (Debian's package) on a free port, with an append-only file
 * fsynced on every write, as production runs it: so a stop and start loses nothing that Redis
 * acknowledged, and a test can tell an outage from data loss. For outage tests: the shared
 * Redis must never be stopped under the other tests.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort()
  const dir = await mkdtemp(join(tmpdir(), 'servey-redis-'))
  const url = `redis://127.0.0.1:${port}`
  let child: ChildProcess | undefined

  const start = async (): Promise<void> => {
    if (child !== undefined) return
    const started = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--dir',
        dir,
      ],
      { stdio: 'ignore' },
    )
    child = started
    // A test that times out before its afterAll must not leave a redis-server behind.
    const reap = (): void => void started.kill('SIGKILL')
    process.once('exit', reap)
    started.once('exit', () => process.off('exit', reap))
    let failure: Error | undefined
    started.once('error', (error) => (failure = error))
    const deadline = Date.now() + 10_000
    while (!(await answers(url))) {
      if (failure !== undefined || started.exitCode !== null) {
        child = undefined
        throw new Error(
          `redis-server did not start on ${port}: ${failure?.message ?? `exit ${String(started.exitCode)}`}`,
        )
      }
      if (Date.now() > deadline) throw new Error(`redis-server on ${port} does not answer`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  const stop = async (): Promise<void> => {
    const running = child
    if (running === undefined) return
    child = undefined
    if (running.exitCode !== null) return
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve())
      running.kill('SIGTERM')
    })
  }

  await start()
  return {
    url,
    port,
    start,
    stop,
    async dispose() {
      await stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
