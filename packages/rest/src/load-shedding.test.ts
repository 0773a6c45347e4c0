import { action, createInvoker, createRegistry, Type, WEB_GET } from '@servey/core'
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { createServer, type CreateServerOptions } from './create-server.ts'

const say_hello = action(
  { triggers: [WEB_GET], params: Type.Object({ name: Type.String() }), result: Type.String() },
  ({ name }) => `Hello ${name}!`,
)

function block(ms: number): void {
  const until = Date.now() + ms
  while (Date.now() < until) {
    // A synchronous handler that holds the event loop, like the showcase's old factorial.
  }
}

async function serverWith(
  maxEventLoopDelay: number,
  more: Partial<CreateServerOptions> = {},
): Promise<FastifyInstance> {
  const invoker = createInvoker(createRegistry({ say_hello }))
  return createServer({
    invoker,
    docs: false,
    ...more,
    // GET /health is the server's own liveness route (health-routes.ts).
    loadShedding: { maxEventLoopDelay, retryAfter: 2 },
  })
}

/** Keeps the event loop lagging (a 200 ms block every 10 ms) until stopped. */
function sustainedLag(): () => void {
  const timer = setInterval(() => block(200), 10)
  return () => clearInterval(timer)
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('load shedding (event-loop protection)', () => {
  let app: FastifyInstance | undefined
  let stop: (() => void) | undefined

  afterEach(async () => {
    stop?.()
    stop = undefined
    await app?.close()
    app = undefined
  })

  it('answers 503 problem+json UNAVAILABLE with Retry-After while the loop lags', async () => {
    app = await serverWith(50)
    stop = sustainedLag()
    const server = app
    await until(() => server.isUnderPressure(), 20_000)
    const response = await server.inject({ url: '/actions/say-hello?name=A' })
    expect(response.statusCode).toBe(503)
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8')
    expect(response.headers['retry-after']).toBe('2')
    const problem = response.json<Record<string, unknown>>()
    expect(problem).toMatchObject({
      status: 503,
      code: 'UNAVAILABLE',
      title: 'Service Unavailable',
    })
    expect(problem['detail']).toMatch(/overloaded .*limit of 50 ms/)
    expect(typeof problem['requestId']).toBe('string')
    // The refusal names its request like every other answer: one hook does both.
    expect(response.headers['x-request-id']).toBe(problem['requestId'])
  }, 60_000)

  it('refuses on every route but liveness: the docs, routes added by extend, unknown paths', async () => {
    // Admission runs from each route (request-admission.ts), not from one server-wide hook:
    // each kind of route must still be covered.
    app = await serverWith(50, { docs: true, extend: (server) => server.get('/extra', () => 'x') })
    stop = sustainedLag()
    const server = app
    await until(() => server.isUnderPressure(), 20_000)
    for (const url of ['/openapi.json', '/extra', '/nothing-here', '/actions/say-hello?name=A']) {
      const response = await server.inject({ url, headers: { 'x-request-id': 'lagging-1' } })
      expect([url, response.statusCode, response.headers['x-request-id']]).toEqual([
        url,
        503,
        'lagging-1',
      ])
    }
    expect((await server.inject({ url: '/health' })).statusCode).toBe(200)
  }, 60_000)

  it('keeps /health answering while the loop lags (liveness is not load)', async () => {
    app = await serverWith(50)
    stop = sustainedLag()
    const server = app
    await until(() => server.isUnderPressure(), 20_000)
    const health = await server.inject({ url: '/health' })
    expect(health.statusCode).toBe(200)
    expect(health.json()).toEqual({ status: 'ok' })
  }, 60_000)

  it('serves normally once the loop is idle again', async () => {
    app = await serverWith(50)
    stop = sustainedLag()
    const server = app
    await until(() => server.isUnderPressure(), 20_000)
    stop()
    stop = undefined
    await until(() => !server.isUnderPressure(), 20_000)
    const response = await server.inject({ url: '/actions/say-hello?name=A' })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toBe('Hello A!')
  }, 60_000)

  it('is off with a threshold of 0', async () => {
    app = await serverWith(0)
    expect(app.hasDecorator('isUnderPressure')).toBe(false)
    const response = await app.inject({ url: '/actions/say-hello?name=A' })
    expect(response.statusCode).toBe(200)
  })
})
