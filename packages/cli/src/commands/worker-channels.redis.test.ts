import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deletePrefix, describeRedis, REDIS_URL, uniquePrefix } from '@servey/testing/redis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import WebSocket from 'ws'
import { fixture, startServey, type ServeyProcess } from '../test-support/servey-process.ts'

async function until<T>(
  check: () => Promise<T | undefined> | T | undefined,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

// `servey worker` serves no websocket: its jobs publish to the Redis Streams that every
// `servey start` reads, so the servers' subscribers get what a job publishes.
describeRedis('publishes from jobs in servey worker reach the subscribers of servey start', () => {
  const prefix = uniquePrefix('cli-worker-channels')
  let dir: string
  let env: Record<string, string>
  let server: ServeyProcess
  let worker: ServeyProcess
  let origin: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'servey-worker-channels-'))
    env = {
      REDIS_URL,
      SERVEY_CHANNELS_PREFIX: prefix,
      SERVEY_JOBS_PREFIX: prefix,
      FEED_FILE: join(dir, 'feed'),
    }
    // --no-worker: this server runs no job, so whatever a job publishes came from the worker.
    server = startServey(['start', '--no-worker', '--port', '0'], {
      cwd: fixture('worker-channels'),
      env,
    })
    worker = startServey(['worker'], { cwd: fixture('worker-channels'), env })
    origin = (await server.waitFor(/"api":"(http:\/\/[^"]+)"/, { timeoutMs: 150_000 }))[1]!
    await worker.waitFor(/servey worker: running jobs and schedules from Redis/, {
      timeoutMs: 150_000,
    })
  }, 200_000)

  afterAll(async () => {
    await Promise.all([server?.stop('SIGKILL'), worker?.stop('SIGKILL')])
    await deletePrefix(prefix)
    await rm(dir, { recursive: true, force: true })
  })

  it('a job run by the worker publishes; a ws client of the server receives it, and its handler runs', async () => {
    const frames: Record<string, unknown>[] = []
    const socket = new WebSocket(`${origin.replace('http', 'ws')}/channels/jobs-feed`)
    socket.on('message', (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>))
    await until(() => (frames[0]?.['type'] === 'subscribed' ? true : undefined))

    const response = await fetch(`${origin}/actions/publish-later`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', prefer: 'respond-async' },
      body: JSON.stringify({ text: 'from a job' }),
    })
    expect(response.status).toBe(202)
    const location = response.headers.get('location')!
    const job = await until(async () => {
      const body = (await (await fetch(`${origin}${location}`)).json()) as {
        status: string
        result?: { id: string; pid: number }
      }
      return body.status === 'queued' || body.status === 'running' ? undefined : body
    })
    expect(job.status).toBe('succeeded')
    const workerPid = worker.child.pid!
    expect(job.result).toEqual({ id: expect.stringMatching(/^\d+-\d+$/), pid: workerPid })
    expect(workerPid).not.toBe(server.child.pid)

    const events = () => frames.filter((frame) => frame['type'] === undefined)
    const event = await until(() => events()[0])
    expect(event).toEqual({
      channel: 'jobs_feed',
      id: job.result!.id,
      event: { text: 'from a job', pid: workerPid },
    })
    // The channel's background-action handler runs too: enqueued by the worker's publish, and
    // run by the worker (the only process taking jobs).
    const lines = await until(async () => {
      const text = await readFile(env['FEED_FILE']!, 'utf8').catch(() => '')
      return text === '' ? undefined : text
    })
    expect(lines).toBe(`from a job published by ${workerPid}, handled by ${workerPid}\n`)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(events()).toHaveLength(1)
    socket.close()
  }, 60_000)
})
