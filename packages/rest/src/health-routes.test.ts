import type { Readiness } from '@servey/http'
import { afterEach, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from './test-app.ts'
import { buildSecureApp } from './test-secure-app.ts'

const FRESH_ID = /^[0-9a-f]{16}-\d+$/

describe('GET /health and GET /ready', () => {
  let app: FastifyInstance | undefined
  afterEach(async () => {
    await app?.close()
    app = undefined
  })

  it('answer 200 by default, HEAD too, never cached', async () => {
    app = await buildTestApp()
    const health = await app.inject({ url: '/health' })
    expect(health.statusCode).toBe(200)
    expect(health.json()).toEqual({ status: 'ok' })
    expect(health.headers['cache-control']).toBe('no-store')
    const ready = await app.inject({ url: '/ready' })
    expect(ready.statusCode).toBe(200)
    expect(ready.json()).toEqual({ status: 'ready' })
    const head = await app.inject({ method: 'HEAD', url: '/ready' })
    expect(head.statusCode).toBe(200)
    expect(head.body).toBe('')
  })

  it('answer /ready with 503 problem+json and the reason while the check says not ready', async () => {
    let state: Readiness = {
      ready: false,
      reason: 'dependency_unavailable',
      detail: 'Redis at redis://127.0.0.1:1 does not answer',
    }
    app = await buildTestApp({ health: { readiness: () => state } })
    const down = await app.inject({ url: '/ready', headers: { 'x-request-id': 'probe-1' } })
    expect(down.statusCode).toBe(503)
    expect(down.headers['content-type']).toBe('application/problem+json; charset=utf-8')
    expect(down.headers['retry-after']).toBe('1')
    expect(down.json()).toMatchObject({
      code: 'UNAVAILABLE',
      data: { reason: 'dependency_unavailable' },
      requestId: 'probe-1',
    })
    // Liveness does not depend on the dependencies: restarting would not bring Redis back.
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200)
    state = { ready: false, reason: 'shutting_down', detail: 'The server is shutting down' }
    expect((await app.inject({ url: '/ready' })).json().data).toEqual({ reason: 'shutting_down' })
    state = { ready: true }
    expect((await app.inject({ url: '/ready' })).statusCode).toBe(200)
  })

  it('answer a check that throws as dependency_unavailable, without its message', async () => {
    app = await buildTestApp({
      health: {
        readiness: () => {
          throw new Error('secret connection string')
        },
      },
    })
    const response = await app.inject({ url: '/ready' })
    expect(response.statusCode).toBe(503)
    expect(response.json().data).toEqual({ reason: 'dependency_unavailable' })
    expect(response.body).not.toContain('secret')
  })

  it('need no token on a server whose actions do', async () => {
    app = await buildSecureApp()
    expect((await app.inject({ url: '/actions/echo-authorization' })).statusCode).toBe(401)
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200)
    expect((await app.inject({ url: '/ready' })).statusCode).toBe(200)
  })

  it('are not operations of the OpenAPI document', async () => {
    app = await buildTestApp()
    const paths = Object.keys((await app.inject({ url: '/openapi.json' })).json().paths)
    expect(paths).toContain('/actions/say-hello')
    expect(paths).not.toContain('/health')
    expect(paths).not.toContain('/ready')
  })

  it('can be left out', async () => {
    app = await buildTestApp({ health: false })
    expect((await app.inject({ url: '/health' })).statusCode).toBe(404)
  })
})

describe('x-request-id', () => {
  let app: FastifyInstance | undefined
  afterEach(async () => {
    await app?.close()
    app = undefined
  })

  it('echoes a well-formed id on every answer, in the problem body and the logs', async () => {
    const lines: string[] = []
    app = await buildTestApp({ logger: { level: 'info', stream: { write: (l) => lines.push(l) } } })
    const id = 'edge-7f3a:1/2+3=4@lb_1.x'
    const ok = await app.inject({
      url: '/actions/say-hello?name=A',
      headers: { 'x-request-id': id },
    })
    expect(ok.headers['x-request-id']).toBe(id)
    const missing = await app.inject({ url: '/nowhere', headers: { 'x-request-id': id } })
    expect(missing.statusCode).toBe(404)
    expect(missing.headers['x-request-id']).toBe(id)
    expect(missing.json().requestId).toBe(id)
    const docs = await app.inject({ url: '/openapi.json', headers: { 'x-request-id': id } })
    expect(docs.headers['x-request-id']).toBe(id)
    expect(lines.some((line) => JSON.parse(line).reqId === id)).toBe(true)
  })

  it('answers a missing, hostile or oversized id with a fresh id, never the value', async () => {
    const lines: string[] = []
    app = await buildTestApp({ logger: { level: 'info', stream: { write: (l) => lines.push(l) } } })
    const plain = await app.inject({ url: '/health' })
    expect(plain.headers['x-request-id']).toMatch(FRESH_ID)
    for (const hostile of ['a b', 'x'.repeat(129), '"><script>alert(1)</script>', 'a%0d%0ab']) {
      const response = await app.inject({
        url: '/actions/say-hello?name=A',
        headers: { 'x-request-id': hostile },
      })
      expect(response.headers['x-request-id']).toMatch(FRESH_ID)
    }
    const bad = await app.inject({ url: '/actions/say-hello', headers: { 'x-request-id': 'a b' } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().requestId).toBe(bad.headers['x-request-id'])
    expect(lines.join('\n')).not.toContain('<script>')
  })

  it('is echoed on a URL the router cannot decode', async () => {
    app = await buildTestApp()
    const response = await app.inject({
      url: '/items/%E0%A4%A',
      headers: { 'x-request-id': 'r-1' },
    })
    expect(response.statusCode).toBe(400)
    expect(response.headers['x-request-id']).toBe('r-1')
  })
})
