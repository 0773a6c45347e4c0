import {
  action,
  ActionError,
  anyScope,
  createJwtIssuer,
  toProblem,
  ttl,
  Type,
  web,
  WEB_GET,
  WEB_POST,
  type Invoker,
  type JobRunner,
  type JobState,
} from '@servey/core'
import { strongEtag } from '@servey/http'
import { describe, expect, it } from 'vitest'
import { createLambdaHandler } from './create-lambda-handler.ts'
import {
  httpApiEvent,
  restApiEvent,
  type GatewayEventOptions,
} from './api-gateway-events.fixture.ts'

const SECRET = 'an-api-gateway-test-secret-long-enough'
const env = { JWT_SECRET_KEY: SECRET, LOG_LEVEL: 'silent' }
const issuer = createJwtIssuer({ secret: SECRET })

const actions = {
  say_hello: action(
    { triggers: [WEB_GET], params: Type.Object({ name: Type.String() }), result: Type.String() },
    ({ name }) => `Hello ${name}!`,
  ),
  get_item: action(
    {
      triggers: [web({ method: 'GET', path: '/actions/items/:id' })],
      params: Type.Object({ id: Type.Integer(), tags: Type.Optional(Type.Array(Type.String())) }),
    },
    ({ id, tags }) => ({ id, tags: tags ?? [] }),
  ),
  create_order: action(
    {
      triggers: [WEB_POST],
      params: Type.Object({ item: Type.String(), qty: Type.Integer({ minimum: 1 }) }),
      result: Type.Object({ item: Type.String(), qty: Type.Integer() }),
    },
    ({ item, qty }) => ({ item, qty, secret: 'must not leak' }),
  ),
  cached: action({ triggers: [WEB_GET], cache: ttl(60, { etag: true }) }, () => ({ n: 1 })),
  whoami: action(
    { triggers: [WEB_GET], access: anyScope('root'), result: Type.String() },
    (_params, { authorization }) => authorization?.subject ?? '?',
  ),
  crashes: action({ triggers: [WEB_POST] }, () => {
    throw new Error('database password is hunter2')
  }),
  conflict: action({ triggers: [WEB_POST] }, () => {
    throw new ActionError('CONFLICT', 'Order already shipped')
  }),
}

/** The JobRunner port, running each job at once; the real runners are @servey/scheduler's. */
function immediateRunner(invoker: Invoker): JobRunner {
  const states = new Map<string, JobState>()
  let next = 0
  return {
    async enqueue(request) {
      const id = `job-${++next}`
      const base = {
        id,
        action: request.action,
        progress: 0,
        subject: request.authorization?.subject ?? null,
        createdAt: new Date().toISOString(),
      }
      const outcome = await invoker.invoke({
        action: request.action,
        input: request.params,
        authorization: request.authorization,
      })
      states.set(
        id,
        outcome.ok
          ? { ...base, status: 'succeeded', progress: 100, result: outcome.result }
          : { ...base, status: 'failed', error: toProblem(outcome.error) },
      )
      return id
    },
    get: async (id) => states.get(id),
    cancel: async () => undefined,
  }
}

const router = createLambdaHandler({
  actions,
  env,
  jobs: (invoker) => ({ runner: immediateRunner(invoker) }),
})

interface Result {
  statusCode: number
  headers: Record<string, string>
  body: string
  isBase64Encoded: boolean
  cookies?: string[]
}

const versions = [
  ['REST API (payload 1.0)', restApiEvent],
  ['HTTP API (payload 2.0)', httpApiEvent],
] as const

describe.each(versions)('%s', (_name, eventOf) => {
  const call = async (options: GatewayEventOptions, handler = router): Promise<Result> =>
    (await handler(eventOf(options), { awsRequestId: 'lambda-req' })) as Result
  const json = (result: Result): unknown => JSON.parse(result.body)

  it('answers GET /actions/say-hello?name=World', async () => {
    const result = await call({ path: '/actions/say-hello', query: { name: 'World' } })
    expect(result).toMatchObject({ statusCode: 200, isBase64Encoded: false })
    expect(result.headers['content-type']).toMatch(/^application\/json/)
    expect(json(result)).toBe('Hello World!')
  })

  it('routes a templated path by the resource template, with repeated query values', async () => {
    const result = await call({
      path: '/actions/items/42',
      resource: '/actions/items/{id}',
      pathParameters: { id: '42' },
      query: { tags: ['a', 'b c'] },
    })
    expect(result.statusCode).toBe(200)
    expect(json(result)).toEqual({ id: 42, tags: ['a', 'b c'] })
  })

  it('routes a catch-all route ({proxy+} or $default) by the concrete path', async () => {
    const proxy = eventOf === restApiEvent ? '/{proxy+}' : '$default'
    const result = await call({
      path: '/actions/items/7',
      resource: proxy,
      pathParameters: eventOf === restApiEvent ? { proxy: 'actions/items/7' } : {},
    })
    expect(json(result)).toEqual({ id: 7, tags: [] })
    const missing = await call({ path: '/nowhere', resource: proxy })
    expect(missing.statusCode).toBe(404)
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(json(missing)).toMatchObject({ code: 'NOT_FOUND', status: 404 })
    const wrongMethod = await call({
      method: 'DELETE',
      path: '/actions/say-hello',
      resource: proxy,
    })
    expect(wrongMethod.statusCode).toBe(405)
    expect(wrongMethod.headers['allow']).toBe('GET, HEAD')
  })

  it('reads a JSON body with any header case, plain or base64, and never leaks fields', async () => {
    const body = JSON.stringify({ item: 'tea', qty: 2 })
    for (const [text, base64] of [
      [body, false],
      [Buffer.from(body).toString('base64'), true],
    ] as const) {
      const result = await call({
        method: 'POST',
        path: '/actions/create-order',
        headers: { 'CoNtEnT-TyPe': 'application/json; charset=utf-8' },
        body: text,
        base64,
      })
      expect(result.statusCode).toBe(200)
      expect(json(result)).toEqual({ item: 'tea', qty: 2 })
    }
  })

  it('answers bad input with problem+json 4xx, never a 5xx', async () => {
    const post = (body: string, contentType = 'application/json', base64 = false) =>
      call({
        method: 'POST',
        path: '/actions/create-order',
        headers: { 'content-type': contentType },
        body,
        base64,
      })
    const cases: Array<[Promise<Result>, number, string]> = [
      [post('{"item":'), 400, 'MALFORMED_JSON'],
      [post('{"item":"tea","qty":0}'), 400, 'INVALID_PARAMS'],
      [post('item=tea', 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [post('%%% not base64 %%%', 'application/json', true), 400, 'BAD_REQUEST'],
      [
        call({
          path: '/actions/items/x',
          resource: '/actions/items/{id}',
          pathParameters: { id: 'x' },
        }),
        400,
        'INVALID_PARAMS',
      ],
    ]
    if (eventOf === httpApiEvent) {
      // An HTTP API hands the raw query over: a bad percent-encoding is the HTTP layer's 400.
      // A REST API decodes the query itself.
      cases.push([
        call({ path: '/actions/say-hello', rawQuery: 'name=%E0%A4%A' }),
        400,
        'BAD_REQUEST',
      ])
    }
    for (const [pending, status, code] of cases) {
      const result = await pending
      expect(result.statusCode, result.body).toBe(status)
      expect(result.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(json(result)).toMatchObject({ status, code })
    }
  })

  it('answers a malformed event with a 400 problem instead of throwing (no 502)', async () => {
    const event = { ...eventOf({ path: '/actions/say-hello' }), headers: 'not an object' }
    const result = (await router(event)) as Result
    expect(result.statusCode).toBe(400)
    expect(json(result)).toMatchObject({ code: 'BAD_REQUEST' })
  })

  it('hides internals of a crash: 500 with the request id from the request context', async () => {
    const result = await call({
      method: 'POST',
      path: '/actions/crashes',
      requestId: 'gw-req-7',
    })
    expect(result.statusCode).toBe(500)
    expect(result.body).not.toMatch(/hunter2/)
    expect(json(result)).toMatchObject({ code: 'INTERNAL', requestId: 'gw-req-7' })
    const known = await call({ method: 'POST', path: '/actions/conflict' })
    expect(known.statusCode).toBe(409)
    expect(json(known)).toMatchObject({ code: 'CONFLICT', detail: 'Order already shipped' })
  })

  it('sends cache headers and an ETag, and answers 304 to If-None-Match', async () => {
    const first = await call({ path: '/actions/cached' })
    expect(first.statusCode).toBe(200)
    expect(first.headers['cache-control']).toMatch(/max-age=60/)
    expect(first.headers['etag']).toBe(strongEtag(first.body))
    const again = await call({
      path: '/actions/cached',
      headers: { 'If-None-Match': first.headers['etag'] as string },
    })
    expect(again.statusCode).toBe(304)
    expect(again.body).toBe('')
  })

  it('verifies the bearer token: 401 with a challenge, 403, then 200', async () => {
    const none = await call({ path: '/actions/whoami' })
    expect(none.statusCode).toBe(401)
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/)
    const { token: user } = await issuer.issue({ subject: 'bob', scopes: ['user'] })
    const forbidden = await call({
      path: '/actions/whoami',
      headers: { Authorization: `Bearer ${user}` },
    })
    expect(forbidden.statusCode).toBe(403)
    const { token } = await issuer.issue({ subject: 'alice', scopes: ['root'] })
    const ok = await call({
      path: '/actions/whoami',
      headers: { authorization: `Bearer ${token}` },
    })
    expect(json(ok)).toBe('alice')
  })

  it('answers Prefer: respond-async with 202 and a Location', async () => {
    const result = await call({
      method: 'POST',
      path: '/actions/create-order',
      headers: { 'Content-Type': 'application/json', Prefer: 'respond-async' },
      body: JSON.stringify({ item: 'tea', qty: 1 }),
    })
    expect(result.statusCode).toBe(202)
    expect(result.headers['location']).toMatch(/^\/jobs\/job-\d+$/)
    expect(result.headers['preference-applied']).toBe('respond-async')
  })

  it('answers HEAD with the GET headers and no body', async () => {
    const result = await call({
      method: 'HEAD',
      path: '/actions/say-hello',
      query: { name: 'World' },
    })
    expect(result.statusCode).toBe(200)
    expect(result.body).toBe('')
    expect(result.headers['content-length']).toBe(String(Buffer.byteLength('"Hello World!"')))
  })

  it('serves only its own action in a per-action function', async () => {
    const single = createLambdaHandler({ actions, action: 'say_hello', env })
    const own = await call({ path: '/actions/say-hello', query: { name: 'A' } }, single)
    expect(json(own)).toBe('Hello A!')
    const other = await call({ method: 'POST', path: '/actions/crashes' }, single)
    expect(other.statusCode).toBe(404)
  })
})

describe('HTTP API specifics', () => {
  it('strips a named stage from rawPath when it routes by the concrete path', async () => {
    const event = httpApiEvent({
      path: '/actions/say-hello',
      resource: '$default',
      stage: 'prod',
      query: { name: 'Stage' },
    })
    expect(event['rawPath']).toBe('/prod/actions/say-hello')
    const result = (await router(event)) as Result
    expect(JSON.parse(result.body)).toBe('Hello Stage!')
  })

  it('takes an ANY route key as the request method', async () => {
    const event = httpApiEvent({ path: '/actions/say-hello', query: { name: 'Any' } })
    const result = (await router({ ...event, routeKey: 'ANY /actions/say-hello' })) as Result
    expect(JSON.parse(result.body)).toBe('Hello Any!')
  })
})

describe('fetch routes (GraphQL from the same function)', () => {
  // A hand-written fetch handler: what `createServeyYoga({ invoker })` is to the generated
  // entry, without @servey/aws importing another adapter.
  const seen: Request[] = []
  const handler = createLambdaHandler({
    actions,
    env,
    fetchRoutes: {
      '/graphql': (invoker) => ({
        async fetch(request) {
          seen.push(request)
          const body = request.method === 'POST' ? await request.text() : ''
          const headers = new Headers({ 'content-type': 'application/graphql-response+json' })
          headers.append('set-cookie', 'a=1')
          headers.append('set-cookie', 'b=2')
          return new Response(JSON.stringify({ actions: invoker.registry.actions.length, body }), {
            status: 200,
            headers,
          })
        },
      }),
      '/logo.png': () => ({
        fetch: () =>
          new Response(new Uint8Array([0x89, 0x50, 0x4e, 0x47]), {
            headers: { 'content-type': 'image/png' },
          }),
      }),
    },
  })

  it.each(versions)(
    'answers POST /graphql through the fetch handler (%s)',
    async (_name, eventOf) => {
      seen.length = 0
      const result = (await handler(
        eventOf({
          method: 'POST',
          path: '/graphql',
          headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t' },
          body: '{"query":"{ sayHello(name: \\"A\\") }"}',
          requestId: 'gql-1',
        }),
      )) as Result & { multiValueHeaders?: Record<string, string[]> }
      expect(result.statusCode).toBe(200)
      expect(JSON.parse(result.body)).toEqual({
        actions: Object.keys(actions).length,
        body: '{"query":"{ sayHello(name: \\"A\\") }"}',
      })
      const request = seen[0] as Request
      expect(request.headers.get('authorization')).toBe('Bearer t')
      expect(request.headers.get('x-request-id')).toBe('gql-1')
      const cookies =
        eventOf === httpApiEvent ? result.cookies : result.multiValueHeaders?.['set-cookie']
      expect(cookies).toEqual(['a=1', 'b=2'])
    },
  )

  it.each(versions)(
    'refuses a method that is not an HTTP token with 400, on a fetch route too (%s)',
    async (_name, eventOf) => {
      // Found by the fuzz harness: `httpMethod: ""` reached `new Request()`, which threw, and
      // the answer was a 500 INTERNAL.
      for (const method of ['', 'G E T', 'GET\r\n', 'ü']) {
        for (const path of ['/graphql', '/actions/say-hello']) {
          const event = eventOf({ method: 'POST', path, body: '{}' })
          if (eventOf === httpApiEvent) {
            ;(event['requestContext'] as { http: { method: string } }).http.method = method
          } else event['httpMethod'] = method
          const result = (await handler(event)) as Result
          expect(result.statusCode, `${JSON.stringify(method)} ${path}`).toBe(400)
          expect(JSON.parse(result.body)).toMatchObject({ code: 'BAD_REQUEST' })
        }
      }
      // A token nobody serves is still a method: refused by the routes, not as malformed.
      const brew = eventOf({ method: 'BREW', path: '/actions/say-hello' })
      expect(((await handler(brew)) as Result).statusCode).toBe(405)
    },
  )

  it.each(versions)('sends a binary body as base64 (%s)', async (_name, eventOf) => {
    const result = (await handler(eventOf({ path: '/logo.png' }))) as Result
    expect(result.isBase64Encoded).toBe(true)
    expect(Buffer.from(result.body, 'base64')).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]))
  })
})

describe('probes and request ids on API Gateway', () => {
  it('asks the readiness check on /ready: a 503 problem with the reason, even from a per-action function', async () => {
    let ready = false
    const handler = createLambdaHandler({
      actions,
      action: 'say_hello',
      env,
      health: {
        readiness: () =>
          ready
            ? { ready: true }
            : {
                ready: false,
                reason: 'dependency_unavailable',
                detail: 'The table does not answer',
              },
      },
    })
    const event = httpApiEvent({ method: 'GET', path: '/ready', resource: 'GET /ready' })
    const down = (await handler(event)) as {
      statusCode: number
      headers: Record<string, string>
      body: string
    }
    expect(down.statusCode).toBe(503)
    expect(down.headers).toMatchObject({ 'retry-after': '1', 'cache-control': 'no-store' })
    expect(JSON.parse(down.body)).toMatchObject({
      code: 'UNAVAILABLE',
      detail: 'The table does not answer',
      data: { reason: 'dependency_unavailable' },
      requestId: down.headers['x-request-id'],
    })
    ready = true
    await expect(handler(event)).resolves.toMatchObject({
      statusCode: 200,
      body: '{"status":"ready"}',
    })
  })

  // servey sls's servey_health function: no actions, no app code, only the probes.
  it.each(versions)(
    'answers GET and HEAD /health and /ready from a function with no actions (%s)',
    async (_name, eventOf) => {
      const handler = createLambdaHandler({
        actions: {},
        // A key setting that fails every function that verifies tokens: one with nothing to
        // authorize never loads a key, so a probe does not fail with it.
        env: { JWT_SECRET_KEY: SECRET, JWT_KMS_KEY_ID: 'alias/tokens', LOG_LEVEL: 'silent' },
      })
      type Answer = { statusCode: number; headers: Record<string, string>; body: string }
      for (const [path, body] of [
        ['/health', '{"status":"ok"}'],
        ['/ready', '{"status":"ready"}'],
      ] as const) {
        const got = (await handler(
          eventOf({ method: 'GET', path, resource: path, requestId: 'probe-1' }),
        )) as Answer
        expect(got).toMatchObject({ statusCode: 200, body })
        expect(got.headers).toMatchObject({
          'content-type': 'application/json; charset=utf-8',
          'cache-control': 'no-store',
          'x-request-id': 'probe-1',
        })
        const head = (await handler(eventOf({ method: 'HEAD', path, resource: path }))) as Answer
        expect(head.statusCode).toBe(200)
        expect(head.body).toBe('')
      }
      const other = (await handler(
        eventOf({ method: 'GET', path: '/actions/say-hello' }),
      )) as Answer
      expect(other.statusCode).toBe(404)
    },
  )

  it('leaves /health to the routes with health: false (a 404)', async () => {
    const handler = createLambdaHandler({ actions, env, health: false })
    const result = (await handler(
      restApiEvent({ method: 'GET', path: '/health', resource: '/{proxy+}' }),
    )) as {
      statusCode: number
    }
    expect(result.statusCode).toBe(404)
  })

  it("names a request by API Gateway's id unless the caller sends a well-formed x-request-id", async () => {
    const handler = createLambdaHandler({ actions, env })
    const own = (await handler(
      restApiEvent({ method: 'GET', path: '/actions/say-hello', requestId: 'gw-1' }),
    )) as { headers: Record<string, string> }
    expect(own.headers['x-request-id']).toBe('gw-1')
    const traced = (await handler(
      httpApiEvent({
        method: 'GET',
        path: '/actions/say-hello',
        requestId: 'gw-2',
        headers: { 'x-request-id': 'trace-7' },
      }),
    )) as { headers: Record<string, string>; body: string }
    expect(traced.headers['x-request-id']).toBe('trace-7')
    expect(JSON.parse(traced.body)).toMatchObject({ code: 'INVALID_PARAMS', requestId: 'trace-7' })
  })
})
