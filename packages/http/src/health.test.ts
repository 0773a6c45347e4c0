import { action, createRegistry, page, web } from '@servey/core'
import { describe, expect, it } from 'vitest'
import { livenessResponse, readinessResponse, requestIdFrom } from './health.ts'
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
