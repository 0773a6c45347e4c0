import { action, createInvoker, createRegistry, page, web, type Logger } from '@servey/core'
import { describe, expect, it } from 'vitest'
import { checkReadiness, livenessResponse, readinessResponse, requestIdFrom } from './health.ts'
import { createHttpHandler } from './http-handler.ts'
import { createRouteTable } from './route-table.ts'

const FRESH_ID = /^[0-9a-f]{16}-\d+$/

describe('requestIdFrom', () => {
  it("keeps a caller's well-formed id", () => {
    for (const id of ['abc', 'req-1', 'a.b_c:d@e/f+g=h-i', 'x'.repeat(128), 'Root=1-5759e988']) {
      expect(requestIdFrom(id)).toBe(id)
    }
  })

  it('replaces a hostile, oversized, empty, repeated or missing id with a fresh id', () => {
    for (const id of [
      undefined,
      '',
      'x'.repeat(129),
      'a b',
      'a\nfake log line',
      '<script>',
      'a"b',
      'ünïcode',
      'a;b',
      ['one', 'two'],
    ]) {
      const made = requestIdFrom(id)
      expect(made).toMatch(FRESH_ID)
      expect(made).not.toBe(id)
    }
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined))
  })

  it("takes the host's own id as the fresh one when given (API Gateway's)", () => {
    expect(requestIdFrom('a b', () => 'gateway-id')).toBe('gateway-id')
    expect(requestIdFrom('caller-id', () => 'gateway-id')).toBe('caller-id')
  })
})

describe('checkReadiness', () => {
  it('is ready without a check; a check that throws is dependency_unavailable, logged not sent', async () => {
    expect(await checkReadiness(undefined, undefined)).toEqual({ ready: true })
    const logged: unknown[] = []
    const messages: unknown[] = []
    const log = {
      error: (obj: unknown, message: unknown) => {
        logged.push(obj)
        messages.push(message)
      },
    } as unknown as Logger
    const state = await checkReadiness(() => {
      throw new Error('ECONNREFUSED 10.0.0.7:6379')
    }, log)
    expect(state).toEqual({
      ready: false,
      reason: 'dependency_unavailable',
      detail: 'The readiness check failed',
    })
    expect(logged).toEqual([
      { err: expect.objectContaining({ message: 'ECONNREFUSED 10.0.0.7:6379' }) },
    ])
    expect(messages).toEqual(['the readiness check failed'])
  })

  it('answers a check that throws the same without a logger', async () => {
    const state = await checkReadiness(() => Promise.reject(new Error('down')), undefined)
    expect(state).toMatchObject({ ready: false, reason: 'dependency_unavailable' })
  })
})

describe('the handler with health (a transport that routes every request through handle)', () => {
  const invoker = createInvoker(createRegistry({}))
  const request = (method: string, path: string) => ({
    method,
    path,
    headers: {},
    requestId: 'r-1',
  })

  it('answers GET and HEAD /health and /ready, and leaves other methods to the 404', async () => {
    const http = createHttpHandler({
      invoker,
      health: { readiness: () => ({ ready: false, reason: 'shutting_down', detail: 'Stopping' }) },
    })
    expect(await http.handle(request('GET', '/health'))).toEqual(livenessResponse())
    const ready = await http.handle(request('GET', '/ready'))
    expect(ready.status).toBe(503)
    expect(JSON.parse(ready.body ?? '')).toMatchObject({
      data: { reason: 'shutting_down' },
      requestId: 'r-1',
    })
    const head = await http.handle(request('HEAD', '/health'))
    expect(head).toMatchObject({ status: 200, body: undefined })
    expect((await http.handle(request('POST', '/health'))).status).toBe(404)
  })

  it('does not answer them without the option (Fastify registers its own routes)', async () => {
    expect((await createHttpHandler({ invoker }).handle(request('GET', '/health'))).status).toBe(
      404,
    )
  })
})

describe('health answers', () => {
  it('liveness is 200 {"status":"ok"}, never cached', () => {
    const response = livenessResponse()
    expect(response.status).toBe(200)
    expect(JSON.parse(response.body ?? '')).toEqual({ status: 'ok' })
    expect(response.headers['cache-control']).toBe('no-store')
  })

  it('readiness is 200 when ready, else a 503 UNAVAILABLE problem with the reason', () => {
    expect(readinessResponse({ ready: true }).status).toBe(200)
    const response = readinessResponse(
      {
        ready: false,
        reason: 'shutting_down',
        detail: 'The server is shutting down',
        retryAfter: 5,
      },
      'req-7',
    )
    expect(response.status).toBe(503)
    expect(response.headers).toMatchObject({
      'content-type': 'application/problem+json; charset=utf-8',
      'retry-after': '5',
      'cache-control': 'no-store',
    })
    expect(JSON.parse(response.body ?? '')).toMatchObject({
      status: 503,
      code: 'UNAVAILABLE',
      detail: 'The server is shutting down',
      data: { reason: 'shutting_down' },
      requestId: 'req-7',
    })
    const down = readinessResponse({
      ready: false,
      reason: 'dependency_unavailable',
      detail: 'Redis does not answer',
    })
    expect(down.headers['retry-after']).toBe('1')
  })
})

describe('reserved paths', () => {
  it('refuses an action or page that claims /health or /ready, with a coded error', () => {
    const claims = [
      web({ method: 'GET', path: '/health' }),
      web({ method: 'POST', path: '/ready' }),
    ]
    for (const trigger of claims) {
      const registry = createRegistry({ probe: action({ triggers: [trigger] }, () => 'mine') })
      expect(() => createRouteTable(registry)).toThrow(
        expect.objectContaining({ code: 'SERVEY_ERR_HTTP_ROUTE_RESERVED' }),
      )
    }
    // A page trigger's default path is the action's kebab name.
    const pageNamedHealth = createRegistry({ health: action({ triggers: [page()] }, () => ({})) })
    expect(() => createRouteTable(pageNamedHealth)).toThrow(
      /SERVEY_ERR_HTTP_ROUTE_RESERVED|GET \/health/,
    )
    // An action named `health` lives under /actions/health: no conflict.
    const named = createRegistry({
      health: action({ triggers: [web({ method: 'GET' })] }, () => 1),
    })
    expect(createRouteTable(named).routes[0]?.template.path).toBe('/actions/health')
  })
})
