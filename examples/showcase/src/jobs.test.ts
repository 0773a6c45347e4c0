import { createServer as createHttpServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createInvoker, createRegistry } from '@servey/core'
import { createServer, invokeAsync } from '@servey/rest'
import { startScheduler, verifyCallbackSignature, type Scheduler } from '@servey/scheduler'
import { deletePrefix, describeRedis, REDIS_URL, uniquePrefix } from '@servey/testing/redis'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import * as actions from './actions/index.ts'

const SECRET = 'callback-secret'

type App = Awaited<ReturnType<typeof createServer>>

async function startApp(
  options: { redisUrl?: string; prefix?: string; role?: 'all' | 'api' } = {},
) {
  const invoker = createInvoker(createRegistry(actions))
  const scheduler = await startScheduler({
    invoker,
    redisUrl: options.redisUrl ?? '',
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    ...(options.role === undefined ? {} : { role: options.role }),
    callbacks: { secret: SECRET, allowedHosts: ['127.0.0.1'], backoff: 20 },
  })
  const app = await createServer({
    invoker,
    jobs: { runner: scheduler.jobs, callbackPolicy: scheduler.callbackPolicy },
  })
  return { app, scheduler }
}

async function waitForJob(app: App, location: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const job = (await app.inject({ url: location })).json()
    if (job.status !== 'queued' && job.status !== 'running') return job
    if (Date.now() > deadline) throw new Error(`job ${location} still ${job.status}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/**
 * A client retrying a background call under one Idempotency-Key, over HTTP: the retry finds
 * the first job, the same key with another body is refused, and a malformed key queues nothing.
 */
async function retriesUnderOneKey(app: App): Promise<void> {
  const post = (data: number[], key: string) =>
    app.inject({
      method: 'POST',
      url: '/actions/predict',
      payload: { data },
      headers: { prefer: 'respond-async', 'idempotency-key': key },
    })
  const key = `"${crypto.randomUUID()}"`
  const first = await post([2, 4], key)
  expect(first.statusCode).toBe(202)
  const location = first.headers['location'] as string
  expect(await waitForJob(app, location)).toMatchObject({ status: 'succeeded' })
  const retry = await post([2, 4], key)
  expect([retry.statusCode, retry.headers['location']]).toEqual([202, location])
  const other = await post([9], key)
  expect(other.statusCode).toBe(422)
  expect(other.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' })
  const malformed = await post([2, 4], 'two words')
  expect(malformed.statusCode).toBe(400)
  expect(malformed.json()).toMatchObject({ code: 'BAD_REQUEST' })
}

const running: Array<{ app: App; scheduler: Scheduler }> = []
afterEach(async () => {
  for (const { app, scheduler } of running.splice(0)) {
    await app.close()
    await scheduler.close()
  }
})

describe('predict in the background (in-process)', () => {
  it('answers 202 with a job location that reaches succeeded', async () => {
    const started = await startApp()
    running.push(started)
    const response = await started.app.inject({
      method: 'POST',
      url: '/actions/predict',
      payload: { data: [1, 2, 3] },
      headers: { prefer: 'respond-async' },
    })
    expect(response.statusCode).toBe(202)
    const location = response.headers['location'] as string
    expect(location).toMatch(/^\/jobs\//)
    expect((await started.app.inject({ url: location })).json().status).toMatch(/queued|running/)
    expect(await waitForJob(started.app, location)).toMatchObject({
      status: 'succeeded',
      result: { mean: 2, next: 4 },
    })
  })

  it('sends the result to an allowed local callback receiver, signed', async () => {
    const received: Array<{ body: string; signature: string | undefined }> = []
    const receiver: Server = createHttpServer((request, reply) => {
      let body = ''
      request.on('data', (chunk: Buffer) => (body += chunk.toString()))
      request.on('end', () => {
        received.push({ body, signature: request.headers['servey-signature'] as string })
        reply.writeHead(204).end()
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = receiver.address() as AddressInfo
      const started = await startApp()
      running.push(started)
      const response = await started.app.inject({
        method: 'POST',
        url: '/actions/predict',
        payload: { data: [2, 4] },
        headers: { 'servey-callback-url': `http://127.0.0.1:${port}/predictions` },
      })
      expect(response.statusCode).toBe(202)
      const deadline = Date.now() + 5000
      while (received.length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50))
      expect(received).toHaveLength(1)
      expect(JSON.parse(received[0]!.body)).toMatchObject({
        action: 'predict',
        status: 'succeeded',
        result: { mean: 3, next: 6 },
      })
      expect(verifyCallbackSignature(SECRET, received[0]!.body, received[0]!.signature)).toBe(true)
    } finally {
      receiver.closeAllConnections()
      await new Promise((resolve) => receiver.close(resolve))
    }
  })

  it('invokeAsync() gives a typed handle: result(), onDone() and cancel()', async () => {
    const started = await startApp()
    running.push(started)
    const baseUrl = await started.app.listen({ port: 0, host: '127.0.0.1' })
    const handle = await invokeAsync(
      actions.predict,
      { data: [10, 20] },
      { baseUrl, name: 'predict', pollInterval: 50 },
    )
    expect(handle.location).toBe(`/jobs/${handle.id}`)
    const done = new Promise((resolve) => handle.onDone(resolve))
    const prediction = await handle.result()
    expect(prediction.next).toBe(30)
    expect(await done).toEqual({ ok: true, result: { mean: 15, next: 30 } })

    const doomed = await invokeAsync(
      actions.predict,
      { data: [1] },
      { baseUrl, name: 'predict', pollInterval: 50 },
    )
    expect((await doomed.cancel()).status).toBe('cancelled')
    await expect(doomed.result()).rejects.toMatchObject({ code: 'CANCELLED' })
    await expect(
      invokeAsync(actions.predict, { data: [] }, { baseUrl, name: 'predict' }),
    ).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
    })
  })

  it('invokeAsync() sends the start again after a lost answer or a 503, under one key', async () => {
    const started = await startApp()
    running.push(started)
    const baseUrl = await started.app.listen({ port: 0, host: '127.0.0.1' })
    const locations: string[] = []
    let calls = 0
    // The first start reaches the server and is stored, but its answer is lost on the way.
    const losesFirstAnswer: typeof fetch = async (input, init) => {
      const response = await fetch(input, init)
      if (init?.method !== 'POST') return response
      calls += 1
      locations.push(response.headers.get('location') ?? '')
      if (calls === 1) throw new TypeError('fetch failed')
      return response
    }
    const handle = await invokeAsync(
      actions.predict,
      { data: [3, 5] },
      { baseUrl, name: 'predict', pollInterval: 50, fetch: losesFirstAnswer },
    )
    expect(calls).toBe(2)
    // The retry found the job the lost start had stored: one job, not two.
    expect(locations).toEqual([handle.location, handle.location])
    expect(await handle.result()).toEqual({ mean: 4, next: 7 })

    const unavailable = () =>
      new Response(JSON.stringify({ status: 503, code: 'UNAVAILABLE', detail: 'Redis is away' }), {
        status: 503,
        headers: { 'content-type': 'application/problem+json', 'retry-after': '0' },
      })
    let tries = 0
    const busyOnce: typeof fetch = (input, init) => {
      tries += 1
      return tries === 1 ? Promise.resolve(unavailable()) : fetch(input, init)
    }
    const after503 = await invokeAsync(
      actions.predict,
      { data: [1] },
      { baseUrl, name: 'predict', pollInterval: 50, fetch: busyOnce },
    )
    expect(after503.location).toMatch(/^\/jobs\//)
    await expect(
      invokeAsync(
        actions.predict,
        { data: [1] },
        { baseUrl, name: 'predict', retries: 0, fetch: () => Promise.resolve(unavailable()) },
      ),
    ).rejects.toMatchObject({ code: 'UNAVAILABLE' })
    // A retry count that could never be reached is refused before anything is sent.
    for (const retries of [Number.NaN, -1, 1.5]) {
      let sent = 0
      await expect(
        invokeAsync(
          actions.predict,
          { data: [1] },
          {
            baseUrl,
            name: 'predict',
            retries,
            fetch: () => {
              sent += 1
              return Promise.resolve(unavailable())
            },
          },
        ),
      ).rejects.toThrow(/retries must be a whole number/)
      expect(sent).toBe(0)
    }
  })

  it('a retry under the same Idempotency-Key answers with the first job again', async () => {
    const started = await startApp()
    running.push(started)
    await retriesUnderOneKey(started.app)
  })

  it('refuses 169.254.169.254 as a callback URL with 400', async () => {
    const started = await startApp()
    running.push(started)
    const response = await started.app.inject({
      method: 'POST',
      url: '/actions/predict',
      payload: { data: [1] },
      headers: { 'servey-callback-url': 'http://169.254.169.254/latest/meta-data/' },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ code: 'BAD_REQUEST' })
  })
})

describeRedis('predict in the background (Redis)', () => {
  const prefix = uniquePrefix('showcase')
  afterAll(() => deletePrefix(prefix))

  it('a retry under the same Idempotency-Key answers with the first job again', async () => {
    const started = await startApp({ redisUrl: REDIS_URL, prefix })
    running.push(started)
    await retriesUnderOneKey(started.app)
  })

  it('a job survives a server restart: the new server answers for it and it completes', async () => {
    // The first server only accepts jobs (no worker), so the job is still queued when it stops.
    const first = await startApp({ redisUrl: REDIS_URL, prefix, role: 'api' })
    const response = await first.app.inject({
      method: 'POST',
      url: '/actions/predict',
      payload: { data: [5, 7] },
      headers: { prefer: 'respond-async' },
    })
    expect(response.statusCode).toBe(202)
    const location = response.headers['location'] as string
    expect((await first.app.inject({ url: location })).json().status).toBe('queued')
    await first.app.close()
    await first.scheduler.close()

    const second = await startApp({ redisUrl: REDIS_URL, prefix })
    running.push(second)
    expect(await waitForJob(second.app, location)).toMatchObject({
      status: 'succeeded',
      result: { mean: 6, next: 9 },
    })
  })
})
