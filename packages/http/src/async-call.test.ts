import { action, createInvoker, createRegistry, Type, WEB_GET, WEB_POST } from '@servey/core'
import type { JobRequest, JobRunner, RegisteredAction } from '@servey/core/adapter'
import { describe, expect, it } from 'vitest'
import { AsyncCallPolicy, idempotencyKeyOf, prefersAsync, startAsyncCall } from './async-call.ts'
import { createHttpHandler } from './http-handler.ts'

let calls = 0
const actions = {
  count: action(
    { triggers: [WEB_POST], params: Type.Object({ n: Type.Number() }), result: Type.Number() },
    function count({ n }) {
      calls += 1
      return n
    },
  ),
  always: action({ triggers: [WEB_GET], async: true, result: Type.String() }, function always() {
    calls += 1
    return 'ran'
  }),
}

describe('a call that asks for a job, on a handler without a job runner', () => {
  const http = createHttpHandler({ invoker: createInvoker(createRegistry(actions)) })
  const post = (headers: Record<string, string>) =>
    http.handle({
      method: 'POST',
      path: '/actions/count',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{"n":1}',
      requestId: 'r1',
    })

  it.each([
    ['Prefer: respond-async', { prefer: 'wait=5, Respond-Async' }],
    ['a callback URL', { 'servey-callback-url': 'https://example.com/hook' }],
  ])('is refused with ASYNC_NOT_SUPPORTED for %s, and does not run', async (_what, headers) => {
    calls = 0
    const response = await post(headers)
    expect(response.status).toBe(400)
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8')
    const problem = JSON.parse(String(response.body)) as { code: string; detail: string }
    expect(problem.code).toBe('ASYNC_NOT_SUPPORTED')
    expect(problem.detail).toContain('Servey-Callback-URL')
    expect(calls).toBe(0)
  })

  it('runs in the request when nothing asks for a job', async () => {
    calls = 0
    const response = await post({ prefer: 'return=minimal' })
    expect([response.status, String(response.body), calls]).toEqual([200, '1', 1])
    // An action declared `async: true` still answers: the server, not the client, lacks jobs.
    const always = await http.handle({
      method: 'GET',
      path: '/actions/always',
      headers: {},
      requestId: 'r2',
    })
    expect([always.status, String(always.body)]).toEqual([200, '"ran"'])
  })
})

describe('prefersAsync (RFC 7240)', () => {
  it.each([
    ['respond-async', true],
    ['Respond-Async', true],
    ['wait=10, respond-async', true],
    ['respond-async; wait=5', true],
    ['return=minimal ,  respond-async ;x=1', true],
    ['return=minimal', false],
    ['respond-asyncx', false],
    ['x-respond-async', false],
    ['wait=5; respond-async', false],
    ['', false],
  ])('%j → %s', (prefer, expected) => {
    expect(prefersAsync(prefer)).toBe(expected)
  })

  it('is false without the header', () => {
    expect(prefersAsync(undefined)).toBe(false)
  })
})

const registry = createRegistry({
  ...actions,
  hooked: action(
    {
      triggers: [WEB_POST],
      async: { always: false, callbackHeaders: { url: 'X-Hook-URL', method: 'X-Hook-Method' } },
      params: Type.Object({ n: Type.Number() }),
    },
    ({ n }) => n,
  ),
})
const registered = (name: string): RegisteredAction => {
  const found = registry.actions.find((entry) => entry.name === name)
  if (found === undefined) throw new Error(`no action ${name}`)
  return found
}
// A public address, so the SSRF check passes without DNS.
const publicHost = { resolve: async () => ['93.184.216.34'] }

describe('AsyncCallPolicy', () => {
  // Built inside each test (not while the suite is collected), so that each test exercises
  // the constructor's reading of the header names.
  const policyOf = (name: string) => new AsyncCallPolicy(registered(name))

  it('wants a job when the action always runs as one, or when the client asks', () => {
    const count = policyOf('count')
    const always = policyOf('always')
    expect(always.always).toBe(true)
    expect(always.wanted({})).toBe(true)
    expect(always.asked({})).toBe(false)
    expect(count.always).toBe(false)
    expect(count.wanted({})).toBe(false)
    expect(count.wanted({ prefer: 'respond-async' })).toBe(true)
    expect(count.wanted({ 'servey-callback-url': 'https://example.com/' })).toBe(true)
  })

  it('reads the callback headers the action names in any case by their lower-case names', () => {
    const hooked = policyOf('hooked')
    expect(hooked.names).toEqual({
      url: 'X-Hook-URL',
      method: 'X-Hook-Method',
      key: 'Servey-Callback-Key',
    })
    expect(hooked.asked({ 'x-hook-url': 'https://example.com/' })).toBe(true)
    expect(hooked.asked({ 'servey-callback-url': 'https://example.com/' })).toBe(false)
  })

  it('explains, naming the callback header, why a server without jobs refuses', () => {
    const hooked = policyOf('hooked')
    expect(hooked.unsupported()).toMatchObject({
      code: 'ASYNC_NOT_SUPPORTED',
      status: 400,
      message:
        'This server runs no background jobs, so it cannot honour Prefer: respond-async or X-Hook-URL; call again without them to run the action in the request',
    })
  })

  it('gives no callback without a callback URL', async () => {
    const count = policyOf('count')
    expect(await count.callback({ prefer: 'respond-async' }, publicHost)).toBeUndefined()
  })

  it('gives the checked URL, the method (POST by default, any case) and a key when sent', async () => {
    const count = policyOf('count')
    const hooked = policyOf('hooked')
    expect(
      await count.callback({ 'servey-callback-url': 'https://Example.COM/hook' }, publicHost),
    ).toStrictEqual({ url: 'https://example.com/hook', method: 'POST' })
    expect(
      await hooked.callback(
        {
          'x-hook-url': 'https://example.com/hook',
          'x-hook-method': 'put',
          'servey-callback-key': 'result',
        },
        publicHost,
      ),
    ).toEqual({ url: 'https://example.com/hook', method: 'PUT', key: 'result' })
    expect(
      await count.callback(
        {
          'servey-callback-url': 'https://example.com/hook',
          'servey-callback-method': 'PATCH',
          'servey-callback-key': '',
        },
        publicHost,
      ),
    ).toStrictEqual({ url: 'https://example.com/hook', method: 'PATCH' })
  })

  it('refuses a callback method other than POST, PUT or PATCH, naming the header', async () => {
    const hooked = policyOf('hooked')
    await expect(
      hooked.callback(
        { 'x-hook-url': 'https://example.com/hook', 'x-hook-method': 'get' },
        publicHost,
      ),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      status: 400,
      message: 'X-Hook-Method must be POST, PUT or PATCH, not GET',
    })
  })

  it('refuses a callback URL the SSRF rules refuse', async () => {
    const count = policyOf('count')
    await expect(
      count.callback(
        { 'servey-callback-url': 'https://internal.example/' },
        {
          resolve: async () => ['10.0.0.1'],
        },
      ),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('Callback URL refused'),
    })
  })
})

describe('startAsyncCall', () => {
  const invoker = createInvoker(registry)
  const recording = (): { runner: JobRunner; requests: JobRequest[] } => {
    const requests: JobRequest[] = []
    const runner: JobRunner = {
      enqueue: async (request) => {
        requests.push(request)
        return `job-${requests.length}`
      },
      get: async () => undefined,
      cancel: async () => undefined,
    }
    return { runner, requests }
  }

  it('queues the admitted call, with its coerced params, caller, request id and callback', async () => {
    const { runner, requests } = recording()
    const count = registered('count')
    const accepted = await startAsyncCall(
      invoker,
      { runner, callbackPolicy: publicHost },
      count,
      new AsyncCallPolicy(count),
      { action: count, input: { n: '4' }, inputSource: 'strings', requestId: 'req-9' },
      { prefer: 'respond-async', 'servey-callback-url': 'https://example.com/done' },
    )
    expect(accepted).toEqual({ id: 'job-1', location: '/jobs/job-1', preferenceApplied: true })
    expect(requests).toEqual([
      {
        action: 'count',
        params: { n: 4 },
        authorization: null,
        requestId: 'req-9',
        callback: { url: 'https://example.com/done', method: 'POST' },
      },
    ])
  })

  it('says the preference was not applied when the job was not asked for with Prefer', async () => {
    const { runner, requests } = recording()
    const always = registered('always')
    const accepted = await startAsyncCall(
      invoker,
      { runner },
      always,
      new AsyncCallPolicy(always),
      { action: always },
      {},
    )
    expect(accepted).toEqual({ id: 'job-1', location: '/jobs/job-1', preferenceApplied: false })
    // No requestId and no callback properties at all, not properties set to undefined.
    expect(requests).toStrictEqual([{ action: 'always', params: {}, authorization: null }])
  })

  it('queues nothing for a call its params or its callback refuse', async () => {
    const { runner, requests } = recording()
    const count = registered('count')
    const policy = new AsyncCallPolicy(count)
    await expect(
      startAsyncCall(invoker, { runner }, count, policy, { action: count, input: { n: 'x' } }, {}),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMS', status: 400 })
    await expect(
      startAsyncCall(
        invoker,
        { runner },
        count,
        policy,
        { action: count, input: { n: 1 } },
        { 'servey-callback-url': 'ftp://example.com/' },
      ),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('Callback URL refused'),
    })
    expect(requests).toEqual([])
  })

  it('passes the Idempotency-Key on, and checks it before anything else', async () => {
    const { runner, requests } = recording()
    const count = registered('count')
    const policy = new AsyncCallPolicy(count)
    const call = (key: string) =>
      startAsyncCall(
        invoker,
        { runner },
        count,
        policy,
        { action: count, input: { n: 1 } },
        { prefer: 'respond-async', 'idempotency-key': key },
      )
    await call('"0b7c-41"')
    expect(requests).toEqual([
      { action: 'count', params: { n: 1 }, authorization: null, idempotencyKey: '0b7c-41' },
    ])
    await expect(call('two words')).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      status: 400,
      message: expect.stringContaining('Idempotency-Key'),
    })
    expect(requests).toHaveLength(1)
  })
})

describe('idempotencyKeyOf (draft-ietf-httpapi-idempotency-key-header)', () => {
  it.each([
    ['"8e03978e-40d5-43e8-bc93-6894a57f9324"', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
    ['8e03978e-40d5-43e8-bc93-6894a57f9324', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
    ['  order-17  ', 'order-17'],
    ['a'.repeat(255), 'a'.repeat(255)],
  ])('%j → %j', (header, key) => {
    expect(idempotencyKeyOf({ 'idempotency-key': header })).toBe(key)
  })

  it('is undefined without the header', () => {
    expect(idempotencyKeyOf({})).toBeUndefined()
  })

  it.each(['', '""', 'two words', 'a"b', 'back\\slash', 'a'.repeat(256), 'caf\u00e9', '"open'])(
    'refuses %j with BAD_REQUEST',
    (header) => {
      expect(() => idempotencyKeyOf({ 'idempotency-key': header })).toThrow(
        expect.objectContaining({ code: 'BAD_REQUEST' }),
      )
    },
  )
})
