import { Agent, request } from 'node:http'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import WebSocket from 'ws'
import { PROCESS_START_TIMEOUT_MS } from '@servey/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { fixture, startServey, type ServeyProcess } from '../test-support/servey-process.ts'
import { openConnection } from '../test-support/raw-http.ts'

/** The exit code, however long the process takes (each test bounds it with its own timeout). */
function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode)
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

/**
 * Each test starts a server (up to PROCESS_START_TIMEOUT_MS), then waits on bounds of its own,
 * 120 s at most in all: the schedule's ticks 60 s and the shutdown line 30 s, or 200 answers
 * under load 90 s. Quiet, a test takes a few seconds.
 */
const TEST_TIMEOUT_MS = PROCESS_START_TIMEOUT_MS + 120_000

/** The line of `servey dev` that says where it serves. */
const DEV_SERVING = /API\s+(http:\/\/\S+)\n/

async function lines(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8').catch(() => '')).split('\n').filter((line) => line !== '')
}

describe('servey start shuts down gracefully on SIGTERM', () => {
  let servey: ServeyProcess | undefined
  let dir: string | undefined
  afterEach(async () => {
    if (servey !== undefined && servey.child.exitCode === null) await servey.stop('SIGKILL')
    servey = undefined
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
    dir = undefined
  })

  async function start(
    env: Record<string, string> = {},
  ): Promise<{ origin: string; port: number }> {
    dir = await mkdtemp(join(tmpdir(), 'servey-shutdown-'))
    servey = startServey(['start', '--port', '0'], {
      cwd: fixture('shutdown'),
      env: {
        TICKS_FILE: join(dir, 'ticks'),
        JOBS_FILE: join(dir, 'jobs'),
        SERVEY_SHUTDOWN_TIMEOUT: '20s',
        REDIS_URL: undefined,
        // A machine loaded by other tests lags the event loop; a 503 from load shedding would
        // be counted as a failed request, and is not what these tests are about.
        SERVEY_MAX_EVENT_LOOP_DELAY: 'off',
        ...env,
      },
    })
    const origin = await servey.serving()
    return { origin, port: Number(new URL(origin).port) }
  }

  it(
    'answers a GET written on each of 20 idle keep-alive connections after SIGTERM: 20/20, Connection: close',
    async () => {
      const { port } = await start()
      const host = `127.0.0.1:${port}`
      const connections = await Promise.all(Array.from({ length: 20 }, () => openConnection(port)))
      for (const connection of connections) {
        const answer = await connection.get('/actions/slow', host)
        expect(answer.headers['connection']).toBe('keep-alive')
      }
      const mark = servey!.mark()
      servey!.child.kill('SIGTERM')
      await servey!.waitFor(/"msg":"shutting down"/, { from: mark, timeoutMs: 30_000 })
      // Written only now that the server is shutting down: each is answered, none is reset.
      const answers = await Promise.allSettled(
        connections.map((connection) => connection.get('/actions/slow?delay=50', host)),
      )
      const failures = answers.flatMap((answer) =>
        answer.status === 'rejected' ? [String(answer.reason)] : [],
      )
      expect(failures).toEqual([])
      for (const answer of answers) {
        if (answer.status !== 'fulfilled') continue
        expect(answer.value.status).toBe(200)
        expect(answer.value.headers['connection']).toBe('close')
      }
      // The server then closes each connection, cleanly (FIN, not a reset).
      expect(new Set(await Promise.all(connections.map((c) => c.ended)))).toEqual(new Set(['end']))
      expect(await exitOf(servey!.child)).toBe(0)
    },
    TEST_TIMEOUT_MS,
  )

  it(
    'refuses new connections, finishes the request in flight, stops the schedule, and exits 0 even while a client holds a connection',
    async () => {
      const { origin, port } = await start({ SERVEY_SHUTDOWN_TIMEOUT: '3s' })
      const host = `127.0.0.1:${port}`
      // The schedule is ticking.
      await expect.poll(() => lines(join(dir!, 'ticks')), { timeout: 60_000 }).toHaveLength(3)
      const inFlight = await openConnection(port)
      const answered = inFlight.get('/actions/slow?delay=1500', host)
      // Another client whose request outlasts the grace period (3 s): it must not hold the
      // process, and neither must the client that keeps its connection open afterwards.
      const holding = await openConnection(port)
      const held = holding.get('/actions/slow?delay=5000', host).then(
        () => 'answered',
        () => 'cut',
      )
      await new Promise((resolve) => setTimeout(resolve, 300))
      const mark = servey!.mark()
      servey!.child.kill('SIGTERM')
      await servey!.waitFor(/"msg":"shutting down"/, { from: mark, timeoutMs: 30_000 })
      const stoppedAt = Date.now()
      const answer = await answered
      expect(answer.status).toBe(200)
      expect(answer.headers['connection']).toBe('close')
      expect(await inFlight.ended).toBe('end')
      // A new connection is refused.
      const refused = await fetch(`${origin}/actions/slow`).then(
        () => 'connected',
        (error: Error & { cause?: { code?: string } }) => error.cause?.code,
      )
      expect(refused).toBe('ECONNREFUSED')
      expect(await exitOf(servey!.child)).toBe(0)
      expect(await held).toBe('cut')
      expect(servey!.stdout()).toContain('connections still open at the end of the grace period')
      // No tick after the server said it was shutting down (the tick log is written at once).
      const ticks = (await lines(join(dir!, 'ticks'))).map(Number)
      expect(Math.max(...ticks)).toBeLessThanOrEqual(stoppedAt)
    },
    TEST_TIMEOUT_MS,
  )

  it(
    'closes websockets with 1001 and finishes a running background job before exiting 0',
    async () => {
      const { origin } = await start()
      const socket = new WebSocket(`${origin.replace('http', 'ws')}/channels/news`)
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
      const closeCode = new Promise<number>((resolve) => socket.once('close', resolve))
      const accepted = await fetch(`${origin}/actions/work`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', prefer: 'respond-async' },
        body: JSON.stringify({ ms: 1500 }),
      })
      expect(accepted.status).toBe(202)
      const mark = servey!.mark()
      servey!.child.kill('SIGTERM')
      await servey!.waitFor(/"msg":"shutting down"/, { from: mark, timeoutMs: 30_000 })
      expect(await closeCode).toBe(1001)
      expect(await exitOf(servey!.child)).toBe(0)
      expect(await lines(join(dir!, 'jobs'))).toEqual(['done 1500'])
    },
    TEST_TIMEOUT_MS,
  )

  it(
    'fails no in-flight request of 50 keep-alive clients under load, and exits 0',
    async () => {
      const { origin } = await start()
      const agent = new Agent({ keepAlive: true, maxSockets: 50 })
      const outcomes = { ok: 0, refused: 0, failed: [] as string[], notOk: [] as number[] }
      let sigterm = false
      let answeredAfterSigterm = 0
      const once = (): Promise<'again' | 'stop'> =>
        new Promise((resolve) => {
          const req = request(`${origin}/actions/slow?delay=20`, { agent }, (response) => {
            response.resume()
            response.on('end', () => {
              if (response.statusCode === 200) outcomes.ok += 1
              else outcomes.notOk.push(response.statusCode ?? 0)
              if (sigterm) answeredAfterSigterm += 1
              resolve('again')
            })
            response.on('error', (error) => {
              outcomes.failed.push(`response: ${error.message}`)
              resolve('stop')
            })
          })
          req.on('error', (error: NodeJS.ErrnoException) => {
            // A new connection refused is shutdown working; anything else is a failed request.
            if (error.code === 'ECONNREFUSED') outcomes.refused += 1
            else outcomes.failed.push(`${error.code ?? ''} ${error.message}`)
            resolve('stop')
          })
          req.end()
        })
      const clients = Array.from({ length: 50 }, async () => {
        while ((await once()) === 'again') {
          // Each client keeps one request in flight until its connection is refused.
        }
      })
      await expect.poll(() => outcomes.ok, { timeout: 90_000 }).toBeGreaterThan(200)
      servey!.child.kill('SIGTERM')
      sigterm = true
      await Promise.all(clients)
      agent.destroy()
      expect(outcomes.failed).toEqual([])
      expect(outcomes.notOk).toEqual([])
      // Every client ended on a refused new connection, after its last answer.
      expect(outcomes.refused).toBe(50)
      expect(answeredAfterSigterm).toBeGreaterThan(0)
      expect(await exitOf(servey!.child)).toBe(0)
    },
    TEST_TIMEOUT_MS,
  )
})

describe('servey dev shuts down the same way', () => {
  let servey: ServeyProcess | undefined
  afterEach(async () => {
    if (servey !== undefined && servey.child.exitCode === null) await servey.stop('SIGKILL')
  })

  it(
    'answers a GET written on idle keep-alive connections after SIGTERM, with Connection: close, and exits 0',
    async () => {
      servey = startServey(['dev', '--port', '0'], {
        cwd: fixture('shutdown'),
        env: { REDIS_URL: undefined },
      })
      const origin = (await servey.ready(DEV_SERVING))[1] ?? ''
      const port = Number(new URL(origin).port)
      const host = `127.0.0.1:${port}`
      const connections = await Promise.all(Array.from({ length: 5 }, () => openConnection(port)))
      for (const connection of connections) await connection.get('/actions/slow', host)
      const mark = servey.mark()
      servey.child.kill('SIGTERM')
      await servey.waitFor(/shutting down\n/, { from: mark, timeoutMs: 30_000 })
      const answers = await Promise.all(
        connections.map((connection) => connection.get('/actions/slow', host)),
      )
      expect(answers.map((answer) => [answer.status, answer.headers['connection']])).toEqual(
        Array.from({ length: 5 }, () => [200, 'close']),
      )
      expect(await exitOf(servey.child)).toBe(0)
    },
    TEST_TIMEOUT_MS,
  )

  it(
    'answers GET /ready with 503 shutting_down (problem+json) while a request in flight holds it open',
    async () => {
      servey = startServey(['dev', '--port', '0'], {
        cwd: fixture('shutdown'),
        env: { REDIS_URL: undefined, SERVEY_SHUTDOWN_TIMEOUT: '20s' },
      })
      const origin = (await servey.ready(DEV_SERVING))[1] ?? ''
      const port = Number(new URL(origin).port)
      const host = `127.0.0.1:${port}`
      // A load balancer's probe, on a connection opened before the signal.
      const probe = await openConnection(port)
      expect((await probe.get('/ready', host)).status).toBe(200)
      const inFlight = await openConnection(port)
      const answered = inFlight.get('/actions/slow?delay=5000', host)
      await new Promise((resolve) => setTimeout(resolve, 300))
      const mark = servey.mark()
      servey.child.kill('SIGTERM')
      await servey.waitFor(/shutting down\n/, { from: mark, timeoutMs: 30_000 })
      const ready = await probe.get('/ready', host)
      expect(ready.status).toBe(503)
      expect(ready.headers['content-type']).toBe('application/problem+json; charset=utf-8')
      expect(JSON.parse(ready.body)).toMatchObject({
        status: 503,
        code: 'UNAVAILABLE',
        data: { reason: 'shutting_down' },
      })
      // The process is still serving: the request in flight is answered, then it exits 0.
      expect((await answered).status).toBe(200)
      expect(await exitOf(servey.child)).toBe(0)
    },
    TEST_TIMEOUT_MS,
  )
})
