import {
  action,
  anyScope,
  createInvoker,
  createRegistry,
  ttl,
  Type,
  web,
  WEB_GET,
  WEB_POST,
  type Authenticator,
} from '@servey/core'
import type { JobRequest, JobRunner, Logger } from '@servey/core/adapter'
import { describe, expect, it, vi } from 'vitest'
import {
  createActionEndpoint,
  JSON_CONTENT_TYPE,
  type EndpointSettings,
  type RouteHandler,
} from './action-endpoint.ts'
import type { HttpRequest, HttpResponse } from './http-message.ts'
import { PROBLEM_CONTENT_TYPE } from './problem-response.ts'
import { createResultEncoders } from './result-encoder.ts'
import { createRouteTable } from './route-table.ts'

const seen: { signal?: AbortSignal; trigger?: unknown; requestId?: string } = {}
const registry = createRegistry({
  add: action(
    {
      triggers: [WEB_GET, WEB_POST],
      params: Type.Object({ a: Type.Number(), b: Type.Number() }),
      result: Type.Number(),
    },
    ({ a, b }) => a + b,
  ),
  order: action(
    {
      triggers: [web({ method: 'POST', path: '/orders/:id' })],
      params: Type.Object(
        { id: Type.Integer(), note: Type.Optional(Type.String()) },
        { additionalProperties: false },
      ),
      result: Type.Object({ id: Type.Integer(), note: Type.Optional(Type.String()) }),
    },
    (params) => params,
  ),
  optional: action(
    {
      triggers: [WEB_POST],
      params: Type.Object({ n: Type.Optional(Type.Number()) }, { additionalProperties: false }),
    },
    ({ n }) => n ?? 'none',
  ),
  forget: action({ triggers: [WEB_POST, WEB_GET], cache: ttl(30) }, () => undefined),
  tagged: action(
    { triggers: [WEB_GET], cache: ttl(60, { etag: true }), result: Type.String() },
    () => 'same',
  ),
  secret: action(
    { triggers: [WEB_GET], access: anyScope('admin'), result: Type.String() },
    () => 'classified',
  ),
  fail: action({ triggers: [WEB_GET] }, () => {
    throw new Error('db password is hunter2')
  }),
  unencodable: action({ triggers: [WEB_GET], result: Type.Object({ n: Type.Number() }) }, () => ({
    n: 1,
  })),
  watch: action({ triggers: [WEB_GET], result: Type.String() }, async (_params, context) => {
    seen.signal = context.signal
    seen.trigger = context.trigger
    seen.requestId = context.requestId
    return 'watched'
  }),
  // Runs until its caller goes away.
  wait: action(
    { triggers: [WEB_GET], result: Type.String() },
    (_params, context) =>
      new Promise<string>((resolve) => {
        context.signal.addEventListener('abort', () => resolve('stopped'))
      }),
  ),
})

// A token `good` is an admin; any other is refused by core.
const authenticator: Authenticator = {
  authenticate: async (token) => {
    if (token !== 'good') throw new Error('bad token')
    return { subject: 'ada', scopes: ['admin'], claims: {} }
  },
}
const invoker = createInvoker(registry, { authenticator })
const table = createRouteTable(registry)
const encoders = createResultEncoders(registry)
const defaults: EndpointSettings = {
  invoker,
  dev: false,
  jobs: undefined,
  bodyLimit: 100,
  queryLimit: 50,
  realm: 'shop',
}

function endpoint(
  method: string,
  path: string,
  settings: Partial<EndpointSettings> = {},
): RouteHandler {
  const route = table.actionRoutes.find(
    (candidate) => candidate.method === method && candidate.template.path === path,
  )
  if (route === undefined) throw new Error(`no route ${method} ${path}`)
  const encoder =
    path === '/actions/unencodable'
      ? () => {
          throw new TypeError('cannot encode')
        }
      : encoders(route.action)
  return createActionEndpoint(route, { ...defaults, ...settings }, encoder)
}

const request = (fields: Partial<HttpRequest>): HttpRequest => ({
  method: 'GET',
  path: '/',
  headers: {},
  requestId: 'req-1',
  ...fields,
})
const json = (response: HttpResponse): Record<string, unknown> =>
  JSON.parse(String(response.body)) as Record<string, unknown>

describe('an action endpoint', () => {
  it('reads a GET query as strings, coerced by the params schema', async () => {
    const response = await endpoint('GET', '/actions/add')(request({ query: 'a=1&b=2' }))
    expect(response).toEqual({
      status: 200,
      headers: { 'content-type': JSON_CONTENT_TYPE },
      body: '3',
    })
  })

  it('reads a POST body as JSON, which is not coerced', async () => {
    const add = endpoint('POST', '/actions/add')
    const post = (body: string) =>
      add(request({ method: 'POST', headers: { 'content-type': 'application/json' }, body }))
    expect((await post('{"a":1,"b":2}')).body).toBe('3')
    const strings = await post('{"a":"1","b":"2"}')
    expect(strings.status).toBe(400)
    expect(json(strings)).toMatchObject({ code: 'INVALID_PARAMS', requestId: 'req-1' })
  })

  it('merges path parameters over the body and coerces them, as a query is', async () => {
    const order = endpoint('POST', '/orders/:id')
    const post = (body: string | undefined, params?: Record<string, string>) =>
      order(
        request({
          method: 'POST',
          path: '/orders/7',
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body,
        }),
        params,
      )
    expect((await post('{"note":"x","id":9}', { id: '7' })).body).toBe('{"id":7,"note":"x"}')
    expect((await post(undefined, { id: '7' })).body).toBe('{"id":7}')
    // A body that is not an object adds nothing to the path parameters.
    expect((await post('"x"', { id: '8' })).body).toBe('{"id":8}')
    expect((await post('null', { id: '8' })).body).toBe('{"id":8}')
    // Without the transport's parameters, only the body counts, as it was sent.
    const bodyOnly = await post('{"id":"5"}')
    expect(bodyOnly.status).toBe(200)
    expect(bodyOnly.body).toBe('{"id":5}')
    expect(json(await post('"x"'))).toMatchObject({
      code: 'INVALID_PARAMS',
      issues: [expect.objectContaining({ path: '/', message: 'must be object' })],
    })
  })

  it('leaves the body of a route without path parameters as it was sent', async () => {
    const optional = endpoint('POST', '/actions/optional')
    const post = (body: string | undefined, params?: Record<string, string>) =>
      optional(
        request({
          method: 'POST',
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body,
        }),
        params,
      )
    expect((await post(undefined)).body).toBe('"none"')
    expect((await post('{"n":2}', {})).body).toBe('2')
    // Not an object: refused, even when the transport hands over (empty) parameters.
    for (const params of [undefined, {}]) {
      const refused = await post('5', params)
      expect([refused.status, json(refused)['code']]).toEqual([400, 'INVALID_PARAMS'])
    }
  })

  it('applies the body and query limits of its settings', async () => {
    const big = await endpoint(
      'POST',
      '/actions/add',
    )(
      request({
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"a":1,"b":2,"c":"${'x'.repeat(100)}"}`,
      }),
    )
    expect([big.status, json(big)['code']]).toEqual([413, 'PAYLOAD_TOO_LARGE'])
    const long = await endpoint(
      'GET',
      '/actions/add',
    )(request({ query: `a=1&b=2&c=${'x'.repeat(50)}` }))
    expect([long.status, json(long)['code']]).toEqual([414, 'URI_TOO_LONG'])
    expect(long.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE)
    expect(json(long)['requestId']).toBe('req-1')
  })

  it('answers no content with 204, keeping Cache-Control', async () => {
    expect(await endpoint('GET', '/actions/forget')(request({}))).toEqual({
      status: 204,
      headers: { 'cache-control': 'public, max-age=30' },
      body: undefined,
    })
    const uncached = await endpoint('POST', '/actions/forget')(request({ method: 'POST' }))
    expect(uncached).toEqual({ status: 204, headers: {}, body: undefined })
    expect(Object.keys(uncached.headers)).toEqual([])
  })

  it('sends the cache headers of the action, and 304 for a matching If-None-Match', async () => {
    const tagged = endpoint('GET', '/actions/tagged')
    const first = await tagged(request({}))
    expect(first.headers).toMatchObject({
      'cache-control': 'public, max-age=60',
      'content-type': JSON_CONTENT_TYPE,
    })
    const etag = first.headers['etag']
    expect(etag).toMatch(/^"[\w-]{27}"$/)
    const again = await tagged(request({ headers: { 'if-none-match': String(etag) } }))
    expect(again).toEqual({
      status: 304,
      headers: { 'cache-control': 'public, max-age=60', etag },
      body: undefined,
    })
  })

  it('passes the Authorization header to core, and answers its challenge in the realm', async () => {
    const secret = endpoint('GET', '/actions/secret')
    const allowed = await secret(request({ headers: { authorization: 'Bearer good' } }))
    expect([allowed.status, allowed.body]).toEqual([200, '"classified"'])
    const anonymous = await secret(request({}))
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer realm="shop"/)
    expect(json(anonymous)).toMatchObject({ code: 'UNAUTHENTICATED', requestId: 'req-1' })
  })

  it('masks an unexpected failure, unless in dev mode', async () => {
    const masked = await endpoint('GET', '/actions/fail')(request({}))
    expect(masked.status).toBe(500)
    expect(json(masked)).toMatchObject({
      detail: 'An unexpected error occurred.',
      requestId: 'req-1',
    })
    const dev = await endpoint('GET', '/actions/fail', { dev: true })(request({}))
    expect(json(dev)).toMatchObject({ detail: 'db password is hunter2' })
  })

  it("logs an unexpected failure in the handler through the request's logger", async () => {
    const error = vi.fn()
    const log = { error, warn: vi.fn(), info: vi.fn(), debug: vi.fn() } as unknown as Logger
    log.child = () => log
    const response = await endpoint('GET', '/actions/fail')(request({ log, requestId: 'req-5' }))
    expect(response.status).toBe(500)
    expect(error).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'fail', requestId: 'req-5' }),
      expect.any(String),
    )
  })

  it('answers a result it cannot serialize with a 500 it logs, and logs no client error', async () => {
    const error = vi.fn()
    const log = { error, warn: vi.fn(), info: vi.fn(), debug: vi.fn() } as unknown as Logger
    // Without a logger, the same answer.
    const quiet = await endpoint('GET', '/actions/unencodable')(request({}))
    expect([quiet.status, json(quiet)['code']]).toEqual([500, 'INTERNAL'])
    const response = await endpoint('GET', '/actions/unencodable', { dev: true })(
      request({ log, requestId: 'req-2' }),
    )
    expect(response.status).toBe(500)
    expect(json(response)).toMatchObject({
      code: 'INTERNAL',
      requestId: 'req-2',
      detail: 'cannot encode',
    })
    expect(error).toHaveBeenCalledWith(
      { err: expect.any(TypeError), action: 'unencodable' },
      'the result could not be serialized',
    )
    error.mockClear()
    const bad = await endpoint(
      'POST',
      '/actions/add',
    )(request({ method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x', log }))
    expect(bad.status).toBe(415)
    expect(error).not.toHaveBeenCalled()
  })

  it("hands the handler the request's signal, id and trigger", async () => {
    const controller = new AbortController()
    const response = await endpoint(
      'GET',
      '/actions/watch',
    )(request({ signal: controller.signal, requestId: 'req-3' }))
    expect(response.body).toBe('"watched"')
    expect(seen.requestId).toBe('req-3')
    expect(seen.trigger).toBe(table.actionRoutes.find((r) => r.action.name === 'watch')?.trigger)
    expect(seen.signal?.aborted).toBe(false)
  })

  it('cancels the call when the client goes away', async () => {
    const controller = new AbortController()
    const pending = endpoint('GET', '/actions/wait')(request({ signal: controller.signal }))
    setTimeout(() => controller.abort(), 20)
    const response = await pending
    expect([response.status, json(response)['code']]).toEqual([499, 'CANCELLED'])
  })
})

describe('an action endpoint with a job runner', () => {
  const requests: JobRequest[] = []
  const runner: JobRunner = {
    enqueue: async (job) => {
      requests.push(job)
      return `job-${requests.length}`
    },
    get: async () => undefined,
    cancel: async () => undefined,
  }
  const jobs = { runner, callbackPolicy: { resolve: async () => ['93.184.216.34'] } }
  const post = (headers: Record<string, string>, body = '{"a":1,"b":2}') =>
    endpoint('POST', '/actions/add', { jobs })(
      request({
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        requestId: 'req-4',
      }),
    )

  it('answers 202 with Location and Preference-Applied for Prefer: respond-async', async () => {
    requests.length = 0
    const response = await post({ prefer: 'respond-async' })
    expect(response).toEqual({
      status: 202,
      headers: {
        'content-type': JSON_CONTENT_TYPE,
        location: '/jobs/job-1',
        'preference-applied': 'respond-async',
      },
      body: JSON.stringify({
        id: 'job-1',
        action: 'add',
        status: 'queued',
        location: '/jobs/job-1',
      }),
    })
    expect(requests).toEqual([
      { action: 'add', params: { a: 1, b: 2 }, authorization: null, requestId: 'req-4' },
    ])
  })

  it('answers 202 without Preference-Applied for a callback URL alone', async () => {
    requests.length = 0
    const response = await post({ 'servey-callback-url': 'https://example.com/done' })
    expect(response.status).toBe(202)
    expect(response.headers).toEqual({ 'content-type': JSON_CONTENT_TYPE, location: '/jobs/job-1' })
    expect(requests[0]?.callback).toEqual({ url: 'https://example.com/done', method: 'POST' })
  })

  it('runs in the request when nothing asks for a job', async () => {
    requests.length = 0
    const response = await post({})
    expect([response.status, response.body]).toEqual([200, '3'])
    expect(requests).toEqual([])
  })

  it('refuses a job its params or callback refuse, with the request id', async () => {
    requests.length = 0
    const invalid = await post({ prefer: 'respond-async' }, '{"a":"x","b":2}')
    expect(invalid.status).toBe(400)
    expect(json(invalid)).toMatchObject({ code: 'INVALID_PARAMS', requestId: 'req-4' })
    const method = await post({
      'servey-callback-url': 'https://example.com/done',
      'servey-callback-method': 'DELETE',
    })
    expect(json(method)).toMatchObject({ code: 'BAD_REQUEST', requestId: 'req-4' })
    expect(requests).toEqual([])
  })

  it('answers 500, logged, when the runner cannot queue the job', async () => {
    const error = vi.fn()
    const log = { error, warn: vi.fn(), info: vi.fn(), debug: vi.fn() } as unknown as Logger
    const down: JobRunner = {
      ...runner,
      enqueue: () => Promise.reject(new Error('queue is down')),
    }
    const response = await endpoint('POST', '/actions/add', { jobs: { runner: down } })(
      request({
        method: 'POST',
        headers: { 'content-type': 'application/json', prefer: 'respond-async' },
        body: '{"a":1,"b":2}',
        log,
        requestId: 'req-6',
      }),
    )
    expect(response.status).toBe(500)
    expect(json(response)).toMatchObject({ code: 'INTERNAL', requestId: 'req-6' })
    expect(error).toHaveBeenCalledWith(
      { err: expect.objectContaining({ message: 'queue is down' }), action: 'add' },
      'could not start a job',
    )
  })

  it('refuses a job with 400 on a handler without a runner, running nothing', async () => {
    const response = await endpoint(
      'POST',
      '/actions/add',
    )(
      request({
        method: 'POST',
        headers: { 'content-type': 'application/json', prefer: 'respond-async' },
        body: '{"a":1,"b":2}',
      }),
    )
    expect([response.status, json(response)['code']]).toEqual([400, 'ASYNC_NOT_SUPPORTED'])
  })
})
