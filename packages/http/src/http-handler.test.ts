import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  action,
  ActionError,
  anyScope,
  createInvoker,
  createRegistry,
  createResultCache,
  page,
  ttl,
  Type,
  web,
  WEB_GET,
} from '@servey/core'
import type { CacheStore } from '@servey/core'
import { describe, expect, it } from 'vitest'
import { createHttpHandler } from './http-handler.ts'
import type { HttpRequest } from './http-message.ts'
import { adapterTestActions as testActions } from '@servey/testing'

// Regression tests for the HTTP rules of issue 9, on the transport-neutral handler: every
// transport (Fastify, API Gateway) inherits them from here.
const templates = mkdtempSync(join(tmpdir(), 'servey-http-'))
writeFileSync(join(templates, 'clock_page.njk'), '<p>{{ model }}</p>')

const actions = {
  ...testActions,
  tagged: action(
    { triggers: [WEB_GET], result: Type.String(), cache: ttl(60, { etag: true }) },
    () => 'same',
  ),
  clock_page: action(
    {
      triggers: [page({ path: '/clock/:zone' }), page()],
      params: Type.Object({ zone: Type.Optional(Type.String()) }),
    },
    ({ zone }) => `zone ${zone ?? 'UTC'}`,
  ),
  order_status: action(
    {
      triggers: [web({ method: 'GET', path: '/order-status/:id' })],
      params: Type.Object({ id: Type.String() }),
    },
    ({ id }) => id,
  ),
}
const http = createHttpHandler({
  invoker: createInvoker(createRegistry(actions)),
  pages: { templates },
})

const request = (fields: Partial<HttpRequest> & { path: string }): Promise<Response> =>
  http
    .handle({ method: 'GET', headers: {}, requestId: 'req-1', ...fields })
    .then(
      (response) =>
        new Response(response.body ?? null, { status: response.status, headers: response.headers }),
    )

describe('query strings', () => {
  it.each(['name=%FF%FE', 'name=%', 'name=%E0%A4%A'])(
    'answers a value that does not percent-decode (%s) with 400 problem+json',
    async (query) => {
      const response = await request({ path: '/actions/say-hello', query })
      expect(response.status).toBe(400)
      expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8')
      expect(await response.json()).toMatchObject({ code: 'BAD_REQUEST', requestId: 'req-1' })
    },
  )

  it.each([
    ['ratio=0x10', '/ratio', '0x10'],
    ['count=0x10', '/count', '0x10'],
    ['count=%205', '/count', ' 5'],
    ['ratio=5%20', '/ratio', '5 '],
    ['ratio=%2B5', '/ratio', '+5'],
    ['ratio=.5', '/ratio', '.5'],
    ['nums=1&nums=0b1', '/nums/1', '0b1'],
  ])('coerces only decimal numbers: %s is a 400', async (query, path, text) => {
    const response = await request({ path: '/actions/echo-query', query })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({
      code: 'INVALID_PARAMS',
      issues: [{ path, keyword: 'decimal', message: `must be a decimal number (got "${text}")` }],
    })
  })

  it.each(['ratio=Infinity', 'ratio=-Infinity', 'ratio=1e309', 'count=1e309'])(
    'refuses %s as not finite',
    async (query) => {
      const response = await request({ path: '/actions/echo-query', query })
      expect(response.status).toBe(400)
      expect(await response.json()).toMatchObject({
        code: 'INVALID_PARAMS',
        issues: [{ keyword: 'finite' }],
      })
    },
  )

  it('reads decimal numbers, exponents included, and keeps text in string fields', async () => {
    const response = await request({
      path: '/actions/echo-query',
      query: 'ratio=-1.5e2&count=10&text=0x10&tags=%205',
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ratio: -150, count: 10, text: '0x10', tags: [' 5'] })
  })
})

describe('JSON bodies', () => {
  it.each([
    'application/json',
    'application/vnd.api+json',
    'application/merge-patch+json',
    'application/problem+json; charset=utf-8',
  ])('reads %s as JSON', async (contentType) => {
    const response = await request({
      method: 'POST',
      path: '/actions/create-order',
      headers: { 'content-type': contentType },
      body: '{"item":"tea","qty":2}',
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ id: 1, item: 'tea', qty: 2 })
  })

  it.each(['text/plain', 'application/xml', 'application/jsonx', 'application/+json'])(
    'refuses %s with 415',
    async (contentType) => {
      const response = await request({
        method: 'POST',
        path: '/actions/create-order',
        headers: { 'content-type': contentType },
        body: '{"item":"tea","qty":2}',
      })
      expect(response.status).toBe(415)
    },
  )
})

describe('If-None-Match', () => {
  it('skips empty list elements (RFC 9110 §5.6.1) and sends no content-length on a 304', async () => {
    const full = await http.handle({
      method: 'GET',
      path: '/actions/tagged',
      headers: {},
      requestId: 'a',
    })
    const etag = full.headers['etag'] as string
    for (const header of [`, , ${etag} ,`, `,${etag}`, `"other",,${etag}`]) {
      const response = await http.handle({
        method: 'GET',
        path: '/actions/tagged',
        headers: { 'if-none-match': header },
        requestId: 'b',
      })
      expect(response.status).toBe(304)
      expect(response.body).toBeUndefined()
      expect(response.headers['etag']).toBe(etag)
      // RFC 9110 §8.6: a 304's content-length, if any, is the 200's; none is simplest.
      expect(response.headers['content-length']).toBeUndefined()
    }
  })
})

describe('a server-cached action with an ETag', () => {
  const entries = new Map<string, string>()
  const store: CacheStore = {
    get: (key) => entries.get(key),
    set: (key, value) => void entries.set(key, value),
    deleteByPrefix: () => entries.clear(),
  }
  let runs = 0
  const cachedActions = {
    catalogue: action(
      {
        triggers: [WEB_GET],
        params: Type.Object({ page: Type.Integer({ default: 1 }) }),
        result: Type.Object({ page: Type.Integer(), items: Type.Array(Type.String()) }),
        cache: ttl(60, { server: true, etag: true }),
      },
      ({ page }) => {
        runs += 1
        return { page, items: ['a', 'b'] }
      },
    ),
  }
  const registry = createRegistry(cachedActions)
  const cached = createHttpHandler({
    invoker: createInvoker(registry, { plugins: [createResultCache({ store, registry })] }),
  })
  const get = (query: string, headers: Record<string, string> = {}) =>
    cached.handle({ method: 'GET', path: '/actions/catalogue', query, headers, requestId: 'c' })

  it('answers the miss and every hit with the same body and ETag, and 304 by the RFC 9110 rules', async () => {
    const miss = await get('page=1')
    const hit = await get('page=1')
    const again = await get('page=1')
    expect(runs).toBe(1)
    expect(miss.status).toBe(200)
    expect(hit.body).toBe(miss.body)
    expect(again.body).toBe(miss.body)
    const etag = miss.headers['etag'] as string
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/)
    expect(hit.headers).toEqual(miss.headers)
    expect(again.headers).toEqual(miss.headers)
    expect(hit.headers['cache-control']).toBe('public, max-age=60')

    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const revalidated = await get('page=1', { 'if-none-match': header })
      expect(revalidated).toEqual({
        status: 304,
        headers: { 'cache-control': 'public, max-age=60', etag },
        body: undefined,
      })
    }
    for (const header of ['"other"', etag.slice(0, -1), `W/${etag.slice(0, -2)}"`]) {
      const full = await get('page=1', { 'if-none-match': header })
      expect(full.status).toBe(200)
      expect(full.body).toBe(miss.body)
    }
    // Other params: another entry, another body, another ETag.
    const second = await get('page=2')
    expect(second.headers['etag']).not.toBe(etag)
    expect((await get('page=2', { 'if-none-match': etag })).status).toBe(200)
    expect(runs).toBe(2)
  })
})

describe('dot segments', () => {
  it.each([
    ['GET', '/../package.json'],
    ['GET', '/%2e%2e/package.json'],
    ['GET', '/actions/../actions/say-hello'],
    ['GET', '/actions/./say-hello'],
    ['GET', '/order-status/..'],
    ['GET', '/order-status/%2E%2E'],
    ['PUT', '/orders/..'],
    ['GET', '/clock/.'],
    ['POST', '/static/..%2f..%2fpackage.json'],
  ])('answers %s %s with 400 BAD_REQUEST problem+json', async (method, path) => {
    const response = await request({ method, path, headers: { accept: 'text/html' } })
    expect(response.status).toBe(400)
    expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8')
    expect(await response.json()).toMatchObject({ status: 400, code: 'BAD_REQUEST' })
  })

  it('applies to a route the transport matched, and to a path no route serves', async () => {
    const [route] = http.routes.routes.filter((r) => r.template.path === '/order-status/:id')
    const matched = await http.routeHandler(route!)(
      { method: 'GET', path: '/order-status/..', headers: {}, requestId: 'r' },
      { id: '..' },
    )
    expect(matched.status).toBe(400)
    const unmatched = http.notFound({ method: 'GET', path: '/a/../b', headers: {}, requestId: 'r' })
    expect(unmatched.status).toBe(400)
    expect(http.refuseTarget({ path: '/order-status/ok.json', requestId: 'r' })).toBeUndefined()
    const ok = await request({ path: '/order-status/v1.2' })
    expect(await ok.json()).toBe('v1.2')
  })
})

describe('methods', () => {
  it('answers another method on a page route with 405 and Allow, as on action routes', async () => {
    for (const path of ['/clock-page', '/clock/utc']) {
      const response = await request({ method: 'POST', path })
      expect(response.status).toBe(405)
      expect(response.headers.get('allow')).toBe('GET, HEAD')
      expect(await response.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED' })
    }
    const page = await request({ path: '/clock/utc' })
    expect([page.status, await page.text()]).toEqual([200, '<p>zone utc</p>'])
  })
})

// Found by the HTTP conformance suite (@servey/testing) on API Gateway, which sends whatever
// body the handler returns: Node drops a HEAD body on a socket, API Gateway does not.
describe('HEAD', () => {
  it.each([
    ['an unknown route', '/actions/nope', 404],
    ['a route without GET', '/actions/create-order', 405],
    ['a path with a dot segment', '/a/../b', 400],
  ])('answers %s with its status and no body', async (_label, path, status) => {
    const response = await http.handle({ method: 'HEAD', path, headers: {}, requestId: 'r' })
    expect(response.status).toBe(status)
    expect(response.body).toBeUndefined()
    expect(Number(response.headers['content-length'])).toBeGreaterThan(0)
    const notFound = http.notFound({ method: 'HEAD', path: '/nope', headers: {}, requestId: 'r' })
    expect([notFound.status, notFound.body]).toEqual([404, undefined])
  })
})

describe('undecodable paths', () => {
  it('answers a path that does not percent-decode with 400 problem+json, matched or not', async () => {
    for (const path of ['/order-status/%E0%A4%A', '/actions/%FF']) {
      const response = await request({ path })
      expect(response.status).toBe(400)
      expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8')
      expect(await response.json()).toMatchObject({ code: 'BAD_REQUEST' })
    }
    // A gateway that matched the route already (API Gateway's resource template) gets it too.
    const [route] = http.routes.routes.filter((r) => r.template.path === '/order-status/:id')
    const matched = await http.routeHandler(route!)(
      { method: 'GET', path: '/order-status/%E0%A4%A', headers: {}, requestId: 'r' },
      { id: '%E0%A4%A' },
    )
    expect(matched.status).toBe(400)
    expect(http.refuseTarget({ path: '/order-status/100%25', requestId: 'r' })).toBeUndefined()
  })
})

// What createHttpHandler passes on to every route and answer it builds: each option is seen
// in an answer, so none can be dropped on the way.
describe('createHttpHandler options', () => {
  const secured = {
    ...actions,
    guarded: action(
      { triggers: [WEB_GET], access: anyScope('admin'), result: Type.String() },
      () => 'in',
    ),
  }
  const handle = (handler: ReturnType<typeof createHttpHandler>, fields: Partial<HttpRequest>) =>
    handler.handle({ method: 'GET', path: '/', headers: {}, requestId: 'opt', ...fields })

  it('bodyLimit and queryLimit: 413 and 414 past the given sizes, not the defaults', async () => {
    const small = createHttpHandler({
      invoker: createInvoker(createRegistry(actions)),
      bodyLimit: 20,
      queryLimit: 10,
    })
    const body = JSON.stringify({ item: 'pen', qty: 1000 })
    expect(body.length).toBeGreaterThan(20)
    const post = await handle(small, {
      method: 'POST',
      path: '/actions/create-order',
      headers: { 'content-type': 'application/json' },
      body,
    })
    expect(post.status).toBe(413)
    expect(
      (await handle(small, { path: '/actions/say-hello', query: 'name=abcdefghij' })).status,
    ).toBe(414)
    expect((await handle(small, { path: '/actions/say-hello', query: 'name=abcd' })).status).toBe(
      200,
    )
  })

  it('realm: names the realm of a challenge', async () => {
    const handler = createHttpHandler({
      invoker: createInvoker(createRegistry(secured)),
      realm: 'shop',
    })
    const refused = await handle(handler, { path: '/actions/guarded' })
    expect(refused.status).toBe(401)
    expect(refused.headers['www-authenticate']).toBe('Bearer realm="shop"')
    expect(
      handler.problem(
        new ActionError('UNAUTHENTICATED', 'x', { challenge: { scheme: 'Bearer' } }),
        'r',
      ).headers['www-authenticate'],
    ).toBe('Bearer realm="shop"')
  })

  it('dev: shows what production masks', async () => {
    const invoker = createInvoker(createRegistry(actions))
    const production = await handle(createHttpHandler({ invoker }), {
      method: 'POST',
      path: '/actions/crashes',
    })
    const dev = await handle(createHttpHandler({ invoker, dev: true }), {
      method: 'POST',
      path: '/actions/crashes',
    })
    expect(JSON.parse(production.body ?? '').detail).not.toContain('hunter2')
    expect(JSON.parse(dev.body ?? '').detail).toContain('hunter2')
  })
})

// Each test builds its handler: what createHttpHandler decides while building (which routes
// are guarded, whether pages are served) then runs under the test.
describe('createHttpHandler routing', () => {
  const build = (options: Partial<Parameters<typeof createHttpHandler>[0]> = {}) =>
    createHttpHandler({ invoker: createInvoker(createRegistry(actions)), ...options })
  const at = (path: string, fields: Partial<HttpRequest> = {}) => ({
    method: 'GET',
    path,
    headers: {},
    requestId: 'route-1',
    ...fields,
  })
  const json = (body: string | undefined) => JSON.parse(body ?? '') as Record<string, unknown>

  it("answers a browser's unknown path with the 404 page when pages are served, else a problem", async () => {
    const html = { accept: 'text/html,application/xhtml+xml' }
    const withPages = build({ pages: { templates } })
    const page = await withPages.handle(at('/nowhere', { headers: html }))
    expect(page.status).toBe(404)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.body).toContain('No page at /nowhere')
    // Under /actions/ a browser still gets the problem: that is the JSON API.
    const api = await withPages.handle(at('/actions/nowhere', { headers: html }))
    expect(api.headers['content-type']).toBe('application/problem+json; charset=utf-8')
    expect(json(api.body)).toMatchObject({
      code: 'NOT_FOUND',
      detail: 'No route GET /actions/nowhere',
    })
    const noAccept = await withPages.handle(at('/nowhere'))
    expect(noAccept.headers['content-type']).toBe('application/problem+json; charset=utf-8')
    const noPages = await build().handle(at('/nowhere', { headers: html }))
    expect(noPages.headers['content-type']).toBe('application/problem+json; charset=utf-8')
    expect(withPages.notFound(at('/nowhere', { method: 'HEAD', headers: html }))).toMatchObject({
      status: 404,
      body: undefined,
    })
  })

  it('serves no page route without the pages option', async () => {
    const response = await build().handle(at('/clock-page'))
    expect(response.status).toBe(404)
  })

  it('says which method to use in a 405', async () => {
    const response = await build().handle(at('/actions/create-order'))
    expect(response.status).toBe(405)
    expect(json(response.body)).toMatchObject({
      detail: 'GET is not allowed here; use POST',
    })
  })

  it('refuses a dot segment before looking for the method: 400, not 405', async () => {
    const response = await build().handle(at('/order-status/..', { method: 'POST' }))
    expect(response.status).toBe(400)
  })

  it('answers a path parameter over the length limit with 400', async () => {
    const response = await build().handle(at(`/order-status/${'x'.repeat(101)}`))
    expect(response.status).toBe(400)
    expect(json(response.body)).toMatchObject({
      code: 'BAD_REQUEST',
      detail: 'A path parameter is too long',
    })
  })

  it('answers a request by the route the transport matched, not by its path', async () => {
    const handler = build()
    const route = handler.routes.routes.find((r) => r.template.path === '/actions/say-hello')
    const response = await handler.handle(
      at('/where/the/gateway/mounted/it', { route, query: 'name=Ann' }),
    )
    expect([response.status, response.body]).toEqual([200, '"Hello Ann!"'])
  })

  it('guards the routes with path parameters when the transport matched them', async () => {
    const handler = build()
    const route = handler.routes.routes.find((r) => r.template.path === '/order-status/:id')
    const refused = await handler.routeHandler(route!)(at('/order-status/..'), { id: '..' })
    expect(refused.status).toBe(400)
  })

  it('refuses a route it does not have', () => {
    const other = build()
    const foreign = other.routes.routes[0]!
    expect(() => build().routeHandler(foreign)).toThrow(
      new TypeError(`${foreign.method} ${foreign.template.path} is not a route of this handler`),
    )
  })

  it('answers the probes only on their paths when health is on', async () => {
    const handler = build({ health: {} })
    expect((await handler.handle(at('/health'))).body).toBe('{"status":"ok"}')
    expect((await handler.handle(at('/ready'))).body).toBe('{"status":"ready"}')
    const action = await handler.handle(at('/actions/say-hello', { query: 'name=Bo' }))
    expect(action.body).toBe('"Hello Bo!"')
  })

  it('answers HEAD of a 304 with no content and no length', async () => {
    const handler = build()
    const first = await handler.handle(at('/actions/tagged'))
    const etag = first.headers['etag']!
    const head = await handler.handle(
      at('/actions/tagged', { method: 'HEAD', headers: { 'if-none-match': etag } }),
    )
    expect(head).toEqual({
      status: 304,
      headers: expect.not.objectContaining({ 'content-length': expect.anything() }) as unknown,
      body: undefined,
    })
  })

  it('puts the request id in a problem it makes', () => {
    const problem = build().problem(new ActionError('CONFLICT', 'no'), 'req-9')
    expect(json(problem.body)).toMatchObject({ requestId: 'req-9', detail: 'no' })
  })
})
