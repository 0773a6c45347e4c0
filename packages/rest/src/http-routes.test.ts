import type { FastifyInstance, InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROBLEM_CONTENT_TYPE } from '@servey/http'
import { buildTestApp } from './test-app.ts'

let app: FastifyInstance
beforeAll(async () => {
  app = await buildTestApp()
})
afterAll(() => app.close())

const json = { 'content-type': 'application/json' }

async function problemOf(request: InjectOptions) {
  const response = await app.inject(request)
  expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE)
  return { status: response.statusCode, headers: response.headers, body: response.json() }
}

describe('GET routes', () => {
  it('answers the design example', async () => {
    const response = await app.inject({ url: '/actions/say-hello?name=World' })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(response.body).toBe('"Hello World!"')
  })

  it('serves HEAD for GET routes', async () => {
    const response = await app.inject({ method: 'HEAD', url: '/actions/say-hello?name=World' })
    expect(response.statusCode).toBe(200)
    expect(response.body).toBe('')
  })

  it('coerces query values by the schema', async () => {
    const response = await app.inject({
      url: '/actions/echo-query?count=3&ratio=1.5&flag=true&tags=a&nums=1&nums=2',
    })
    expect(response.json()).toEqual({ count: 3, ratio: 1.5, flag: true, tags: ['a'], nums: [1, 2] })
  })

  it('keeps strings exactly as sent (the original turned "true" into "True")', async () => {
    const response = await app.inject({ url: '/actions/echo-query?text=true&tags=1.50&tags=null' })
    expect(response.json()).toEqual({ text: 'true', tags: ['1.50', 'null'] })
  })

  it('reads nested objects with brackets or dots', async () => {
    for (const query of ['item[name]=pen&item[qty]=2', 'item.name=pen&item.qty=2']) {
      const response = await app.inject({ url: `/actions/echo-query?${query}` })
      expect(response.json()).toEqual({ item: { name: 'pen', qty: 2 } })
    }
  })

  it('lists every failing path', async () => {
    const { status, body } = await problemOf({ url: '/actions/echo-query?count=x&item[qty]=y' })
    expect(status).toBe(400)
    expect(body.code).toBe('INVALID_PARAMS')
    expect(body.issues.map((issue: { path: string }) => issue.path).sort()).toEqual([
      '/count',
      '/item/name',
      '/item/qty',
    ])
  })

  it('answers 204 when an action returns nothing', async () => {
    const response = await app.inject({ method: 'DELETE', url: '/actions/forget?id=4' })
    expect(response.statusCode).toBe(204)
  })
})

describe('body routes', () => {
  it('validates the body and serializes only declared fields', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/actions/create-order',
      headers: json,
      payload: { item: 'pen', qty: 2 },
    })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ id: 1, item: 'pen', qty: 2 })
    expect(response.body).not.toContain('internalNote')
  })

  it('merges path parameters over the body', async () => {
    const response = await app.inject({
      method: 'PUT',
      url: '/orders/42',
      headers: json,
      payload: { id: 1, item: 'pen', qty: 1 },
    })
    expect(response.json()).toEqual({ id: 42, item: 'pen', qty: 1 })
  })

  it('rejects a path parameter of the wrong type', async () => {
    const { status, body } = await problemOf({
      method: 'PUT',
      url: '/orders/abc',
      headers: json,
      payload: { item: 'pen', qty: 1 },
    })
    expect(status).toBe(400)
    expect(body.issues).toEqual([expect.objectContaining({ path: '/id' })])
  })

  it('does not coerce JSON bodies', async () => {
    const { body } = await problemOf({
      method: 'POST',
      url: '/actions/create-order',
      headers: json,
      payload: { item: 'pen', qty: '2' },
    })
    expect(body.code).toBe('INVALID_PARAMS')
    expect(body.issues[0].path).toBe('/qty')
  })

  it.each([
    ['malformed JSON', '{"item":', 400, 'MALFORMED_JSON'],
    ['an empty JSON body', '', 400, 'MALFORMED_JSON'],
    ['a prototype-poisoning body', '{"__proto__":{"admin":true}}', 400, 'MALFORMED_JSON'],
    ['a JSON array', '[1,2]', 400, 'INVALID_PARAMS'],
    ['a JSON string', '"pen"', 400, 'INVALID_PARAMS'],
    ['null', 'null', 400, 'INVALID_PARAMS'],
  ])('answers %s with a problem', async (_label, payload, status, code) => {
    const result = await problemOf({
      method: 'POST',
      url: '/actions/create-order',
      headers: json,
      payload,
    })
    expect(result.status).toBe(status)
    expect(result.body.code).toBe(code)
  })

  it('refuses bodies that are not JSON', async () => {
    for (const contentType of ['text/plain', 'application/xml']) {
      const { status, body } = await problemOf({
        method: 'POST',
        url: '/actions/create-order',
        headers: { 'content-type': contentType },
        payload: 'item=pen',
      })
      expect(status).toBe(415)
      expect(body.code).toBe('UNSUPPORTED_MEDIA_TYPE')
    }
  })

  it('refuses bodies over the limit with 413', async () => {
    const small = await buildTestApp({ bodyLimit: 1024 })
    const response = await small.inject({
      method: 'POST',
      url: '/actions/create-order',
      headers: json,
      payload: JSON.stringify({ item: 'x'.repeat(2000), qty: 1 }),
    })
    expect(response.statusCode).toBe(413)
    expect(response.json().code).toBe('PAYLOAD_TOO_LARGE')
    await small.close()
  })

  it('refuses a query string over the limit with 414 URI_TOO_LONG problem+json', async () => {
    const small = await buildTestApp({ queryLimit: 64 })
    const ok = await small.inject({ url: `/actions/say-hello?name=${'a'.repeat(59)}` })
    expect(ok.statusCode).toBe(200)
    const response = await small.inject({ url: `/actions/say-hello?name=${'a'.repeat(60)}` })
    expect(response.statusCode).toBe(414)
    expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE)
    expect(response.json()).toMatchObject({
      status: 414,
      code: 'URI_TOO_LONG',
      detail: 'The query string is over 64 characters',
    })
    await small.close()
  })
})

describe('errors', () => {
  it('answers 404 in the same shape for unknown routes', async () => {
    const { status, body } = await problemOf({ url: '/actions/no-such-action' })
    expect(status).toBe(404)
    expect(body).toMatchObject({
      code: 'NOT_FOUND',
      type: 'urn:servey:error:not-found',
      title: 'Not Found',
    })
  })

  it('answers 405 with Allow for another method on a known path', async () => {
    const { status, headers, body } = await problemOf({ method: 'POST', url: '/actions/say-hello' })
    expect(status).toBe(405)
    expect(headers['allow']).toBe('GET, HEAD')
    expect(body.code).toBe('METHOD_NOT_ALLOWED')
  })

  it('keeps the code and message of an ActionError', async () => {
    const { status, body } = await problemOf({ method: 'POST', url: '/actions/fails-known' })
    expect(status).toBe(409)
    expect(body).toMatchObject({ code: 'CONFLICT', detail: 'Order already shipped' })
  })

  it('masks unexpected errors and gives a request id', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/actions/crashes',
      headers: { 'x-request-id': 'req-abc' },
    })
    expect(response.statusCode).toBe(500)
    const body = response.json()
    expect(body).toMatchObject({ code: 'INTERNAL', requestId: 'req-abc' })
    expect(response.body).not.toContain('hunter2')
    expect(body.stack).toBeUndefined()
  })

  it('shows the stack in dev mode only', async () => {
    const dev = await buildTestApp({ dev: true })
    const body = (await dev.inject({ method: 'POST', url: '/actions/crashes' })).json()
    expect(body.detail).toContain('hunter2')
    expect(body.stack).toContain('Error: database password is hunter2')
    await dev.close()
  })

  it('answers 504 when an action times out', async () => {
    const { status, body } = await problemOf({ method: 'POST', url: '/actions/sleepy' })
    expect(status).toBe(504)
    expect(body.code).toBe('TIMEOUT')
  })
})
