import { Type } from 'typebox'
import { describe, expect, it } from 'vitest'
import type { ActionContext } from '../action/context.ts'
import { action } from '../action/define-action.ts'
import { ActionError, isActionError } from '../errors/action-error.ts'
import { createRegistry } from '../registry/registry.ts'
import { WEB_GET } from '../trigger/web-trigger.ts'
import { createInvoker, type InvokerOptions } from './invoker.ts'
import { recordingLogger } from './recording-logger.fixture.ts'

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(timer)
      reject(signal.reason as Error)
    })
  })

const actions = {
  sayHello: action(
    {
      triggers: [WEB_GET],
      params: Type.Object({ name: Type.String(), greeting: Type.String({ default: 'Hello' }) }),
      result: Type.String(),
    },
    ({ name, greeting }) => `${greeting} ${name}!`,
  ),
  order: action(
    {
      params: Type.Object({
        item: Type.String(),
        qty: Type.Integer({ minimum: 1 }),
        gift: Type.Optional(Type.Boolean()),
        tags: Type.Optional(Type.Array(Type.String())),
        price: Type.Optional(Type.String()),
        address: Type.Optional(Type.Object({ zip: Type.Integer() })),
      }),
    },
    async (params) => params,
  ),
  slow: action({ timeout: '40ms' }, async (_params, context) => {
    observed.signal = context.signal
    await sleep(2000, context.signal)
    return 'late'
  }),
  busy: action({ timeout: '5ms' }, () => {
    const until = Date.now() + 30
    while (Date.now() < until) {
      // A synchronous handler cannot be interrupted, so it is not put under a timer.
    }
    return 'done'
  }),
  broken: action({}, () => {
    throw new Error('database password is hunter2')
  }),
  notFound: action({}, async () => {
    throw new ActionError('NOT_FOUND', 'No such order', { data: { orderId: 7 } })
  }),
  badResult: action(
    { result: Type.Object({ total: Type.Number(), currency: Type.String({ default: 'EUR' }) }) },
    () => ({ total: 'three' }) as never,
  ),
  partialResult: action(
    {
      result: Type.Object({
        total: Type.Number(),
        note: Type.Optional(Type.String({ default: 'x' })),
      }),
    },
    () => ({ total: 3 }),
  ),
  infinite: action({}, () => ({ ratio: Number.POSITIVE_INFINITY })),
  unavailable: action({}, async () => {
    await Promise.resolve()
    throw new ActionError('UNAVAILABLE', 'The ledger is down')
  }),
  context: action({}, (_params, context: ActionContext) => ({
    action: context.action,
    subject: context.authorization?.subject ?? null,
    trigger: context.trigger.kind,
    requestId: context.requestId,
  })),
}
const observed: { signal?: AbortSignal } = {}
// A function, so TypeScript does not narrow the field to what a test last assigned.
const seenSignal = (): AbortSignal | undefined => observed.signal

// One registry for the whole file: compiling validators is start-up work, not per-test work.
const registry = createRegistry(actions)

function invokerWith(options: InvokerOptions = {}) {
  return createInvoker(registry, { validateResult: true, ...options })
}

describe('the invoke pipeline', () => {
  it('runs a valid call, applying defaults', async () => {
    const outcome = await invokerWith().invoke({ action: 'say_hello', input: { name: 'World' } })
    expect(outcome).toEqual({ ok: true, result: 'Hello World!' })
  })

  it('accepts the registered action instead of its name', async () => {
    const invoker = invokerWith()
    const registered = invoker.registry.get('say_hello')
    if (registered === undefined) throw new Error('say_hello is not registered')
    expect(await invoker.invoke({ action: registered, input: { name: 'You' } })).toEqual({
      ok: true,
      result: 'Hello You!',
    })
  })

  it('answers UNKNOWN_ACTION for a name it does not know', async () => {
    const outcome = await invokerWith().invoke({ action: 'nope', input: {} })
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    expect(outcome.error).toMatchObject({ code: 'UNKNOWN_ACTION', status: 404, expose: true })
  })

  it('fails bad input with INVALID_PARAMS and one issue per failing path', async () => {
    const outcome = await invokerWith().invoke({ action: 'order', input: { qty: 0, gift: 'yes' } })
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    expect(outcome.error).toMatchObject({ code: 'INVALID_PARAMS', status: 400, expose: true })
    expect(outcome.error.issues?.map((issue) => issue.path).sort()).toEqual([
      '/gift',
      '/item',
      '/qty',
    ])
    expect(outcome.error.message).toContain("/item must have required property 'item'")
  })

  it('treats missing input as no params', async () => {
    const outcome = await invokerWith().invoke({ action: 'say_hello' })
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    expect(outcome.error.issues).toEqual([
      { path: '/name', message: "must have required property 'name'", keyword: 'required' },
    ])
  })

  it('keeps JSON input types: "3" is not a number', async () => {
    const outcome = await invokerWith().invoke({
      action: 'order',
      input: { item: 'tea', qty: '3' },
    })
    expect(outcome.ok).toBe(false)
  })
})

describe('invokeNow: when the pipeline answers', () => {
  it('answers at once when no step is asynchronous: a sync handler, no token, no async hook', () => {
    const invoker = invokerWith()
    const answer = invoker.invokeNow({ action: 'say_hello', input: { name: 'Now' } })
    expect(answer).not.toBeInstanceOf(Promise)
    expect(answer).toEqual({ ok: true, result: 'Hello Now!' })
    // Failures too: bad input, a sync handler that throws, an unknown action.
    expect(invoker.invokeNow({ action: 'say_hello', input: {} })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PARAMS' },
    })
    expect(invoker.invokeNow({ action: 'broken' })).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    })
    expect(invoker.invokeNow({ action: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_ACTION' },
    })
  })

  it('answers with a promise once a step is asynchronous, and never rejects', async () => {
    const invoker = invokerWith()
    const asyncHandler = invoker.invokeNow({ action: 'unavailable' })
    expect(asyncHandler).toBeInstanceOf(Promise)
    expect(await asyncHandler).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } })
    // A bearer token is verified first, even for a sync handler.
    const verifying = invokerWith({
      authenticator: {
        authenticate: (token) =>
          Promise.resolve({ subject: token, scopes: [], claims: { sub: token } }),
      },
    })
    const withToken = verifying.invokeNow({
      action: 'context',
      authorizationHeader: 'Bearer ada',
    })
    expect(withToken).toBeInstanceOf(Promise)
    expect(await withToken).toMatchObject({ ok: true, result: { subject: 'ada' } })
  })

  it('waits for an async hook, then goes on synchronously from there', async () => {
    const seen: string[] = []
    const invoker = invokerWith({
      plugins: [
        {
          name: 'slow-gate',
          onRequest: async () => {
            await Promise.resolve()
            seen.push('onRequest')
          },
          onResult: () => {
            seen.push('onResult')
          },
        },
      ],
    })
    const answer = invoker.invokeNow({ action: 'say_hello', input: { name: 'Later' } })
    expect(answer).toBeInstanceOf(Promise)
    expect(seen).toEqual([])
    expect(await answer).toEqual({ ok: true, result: 'Hello Later!' })
    expect(seen).toEqual(['onRequest', 'onResult'])
  })
})

describe('invoke', () => {
  it('always answers with a promise, even when the pipeline answered at once', async () => {
    const answer = invokerWith().invoke({ action: 'say_hello', input: { name: 'Later' } })
    expect(answer).toBeInstanceOf(Promise)
    expect(await answer).toEqual({ ok: true, result: 'Hello Later!' })
    const unknown = invokerWith().invoke({ action: 'nope' })
    expect(unknown).toBeInstanceOf(Promise)
    expect(await unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ACTION' } })
  })
})

describe('strings input (query strings, CLI flags)', () => {
  it('coerces by the schema: numbers, booleans, single values to arrays, nested objects', async () => {
    const outcome = await invokerWith().invoke({
      action: 'order',
      inputSource: 'strings',
      input: { item: 'tea', qty: '3', gift: 'true', tags: 'green', address: { zip: '75001' } },
    })
    expect(outcome).toEqual({
      ok: true,
      result: { item: 'tea', qty: 3, gift: true, tags: ['green'], address: { zip: 75001 } },
    })
  })

  it('keeps strings as sent where the schema wants strings', async () => {
    const outcome = await invokerWith().invoke({
      action: 'order',
      inputSource: 'strings',
      input: { item: 'true', qty: '1', price: '1.50', tags: ['007', 'false'] },
    })
    expect(outcome).toEqual({
      ok: true,
      result: { item: 'true', qty: 1, price: '1.50', tags: ['007', 'false'] },
    })
  })

  it('still fails what cannot be coerced', async () => {
    const outcome = await invokerWith().invoke({
      action: 'order',
      inputSource: 'strings',
      input: { item: 'tea', qty: 'three' },
    })
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    expect(outcome.error.issues?.map((issue) => issue.path)).toEqual(['/qty'])
  })
})

describe('timeouts and cancellation', () => {
  it('fails with TIMEOUT after the action timeout and aborts context.signal', async () => {
    observed.signal = undefined
    const started = Date.now()
    const outcome = await invokerWith().invoke({ action: 'slow' })
    expect(Date.now() - started).toBeLessThan(1500)
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    expect(outcome.error).toMatchObject({
      code: 'TIMEOUT',
      status: 504,
      message: 'Action slow timed out after 40 ms',
    })
    expect(seenSignal()?.aborted).toBe(true)
    expect(isActionError(seenSignal()?.reason)).toBe(true)
  })

  it('fails with CANCELLED when the request signal aborts', async () => {
    observed.signal = undefined
    const controller = new AbortController()
    const pending = invokerWith().invoke({ action: 'slow', signal: controller.signal })
    setTimeout(() => controller.abort(), 5)
    const outcome = await pending
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    expect(outcome.error).toMatchObject({
      code: 'CANCELLED',
      status: 499,
      message: 'The caller cancelled the call',
    })
    expect(seenSignal()?.aborted).toBe(true)
  })

  it('fails with CANCELLED when the request signal was aborted before the call', async () => {
    const outcome = await invokerWith().invoke({ action: 'slow', signal: AbortSignal.abort() })
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    expect(outcome.error.code).toBe('CANCELLED')
  })

  it('reads the request signal only for async handlers, so adapters can make it lazily', async () => {
    let reads = 0
    const request = (action: string) => ({
      action,
      input: { name: 'X', item: 'tea', qty: 1 },
      get signal() {
        reads += 1
        return new AbortController().signal
      },
    })
    await invokerWith().invoke(request('say_hello'))
    expect(reads).toBe(0)
    await invokerWith().invoke(request('order'))
    expect(reads).toBe(1)
  })

  it('does not time synchronous handlers', async () => {
    expect(await invokerWith().invoke({ action: 'busy' })).toEqual({
      ok: true,
      result: 'done',
    })
  })
})

describe('errors', () => {
  it('masks an unknown error as INTERNAL, keeping the cause and logging it with the request id', async () => {
    const log = recordingLogger()
    const outcome = await invokerWith({ log }).invoke({ action: 'broken', requestId: 'req-1' })
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    expect(outcome.error).toMatchObject({ code: 'INTERNAL', status: 500, expose: false })
    expect(outcome.error.message).not.toContain('hunter2')
    expect((outcome.error.cause as Error).message).toBe('database password is hunter2')
    expect(log.entries).toHaveLength(1)
    expect(log.entries[0]).toMatchObject({
      level: 'error',
      obj: { err: outcome.error.cause, action: 'broken', code: 'INTERNAL', requestId: 'req-1' },
    })
  })

  it('passes an ActionError through with its code, message and data', async () => {
    const log = recordingLogger()
    const outcome = await invokerWith({ log }).invoke({ action: 'not_found' })
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    expect(outcome.error).toMatchObject({
      code: 'NOT_FOUND',
      status: 404,
      message: 'No such order',
      data: { orderId: 7 },
    })
    // Client errors are the caller's business, not the operator's.
    expect(log.entries).toEqual([])
  })

  it('prefers the logger of the request over the invoker one', async () => {
    const invokerLog = recordingLogger()
    const requestLog = recordingLogger()
    await invokerWith({ log: invokerLog }).invoke({ action: 'broken', log: requestLog })
    expect(invokerLog.entries).toEqual([])
    expect(requestLog.entries).toHaveLength(1)
  })
})

describe('result checking', () => {
  it('fails with INVALID_RESULT, not exposed, when validateResult is on', async () => {
    const outcome = await invokerWith({ validateResult: true }).invoke({ action: 'bad_result' })
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    expect(outcome.error).toMatchObject({ code: 'INVALID_RESULT', status: 500, expose: false })
    expect(outcome.error.issues?.map((issue) => issue.path).sort()).toEqual(['/currency', '/total'])
  })

  it('passes the result through unchecked when validateResult is off', async () => {
    const outcome = await invokerWith({ validateResult: false }).invoke({ action: 'bad_result' })
    expect(outcome).toEqual({ ok: true, result: { total: 'three' } })
  })

  it('returns the same result whether or not it is checked', async () => {
    const checked = await invokerWith({ validateResult: true }).invoke({ action: 'partial_result' })
    const unchecked = await invokerWith({ validateResult: false }).invoke({
      action: 'partial_result',
    })
    expect(checked).toEqual({ ok: true, result: { total: 3 } })
    expect(checked).toEqual(unchecked)
  })
})

describe('the handler context', () => {
  it('carries the action name, authorization, trigger and request id', async () => {
    const outcome = await invokerWith().invoke({
      action: 'context',
      authorization: { subject: 'root', scopes: [], claims: {} },
      trigger: WEB_GET,
      requestId: 'req-42',
    })
    expect(outcome).toEqual({
      ok: true,
      result: { action: 'context', subject: 'root', trigger: 'web', requestId: 'req-42' },
    })
  })

  it('defaults to an anonymous direct call with a generated request id', async () => {
    const outcome = await invokerWith().invoke({ action: 'context' })
    expect(outcome).toMatchObject({ ok: true, result: { subject: null, trigger: 'direct' } })
    if (!outcome.ok) return
    expect((outcome.result as { requestId: string }).requestId).toMatch(/^[0-9a-f-]{36}$/)
  })
})

describe('missing input', () => {
  it('validates the same object the handler receives, so defaults reach it and admit()', async () => {
    const defaults = action(
      { name: 'defaults', params: Type.Object({ n: Type.Integer({ default: 3 }) }) },
      (params) => params,
    )
    const invoker = createInvoker(createRegistry({ defaults }))
    expect(await invoker.invoke({ action: 'defaults' })).toEqual({ ok: true, result: { n: 3 } })
    expect(await invoker.admit({ action: 'defaults' })).toEqual({
      ok: true,
      authorization: null,
      params: { n: 3 },
    })
  })
})

describe('what a failing call says and logs', () => {
  it('names the action and every issue of a result that does not match its schema', async () => {
    const log = recordingLogger()
    const outcome = await invokerWith({ log }).invoke({ action: 'bad_result', requestId: 'r-2' })
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    const issues = outcome.error.issues ?? []
    expect(outcome.error.message).toBe(
      `Action bad_result returned a result that does not match its schema: ${issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}`,
    )
    expect(issues.length).toBe(2)
    // The issues explain it; a stack would show only the pipeline, never the handler.
    expect(log.entries).toEqual([
      {
        level: 'error',
        obj: { issues, action: 'bad_result', code: 'INVALID_RESULT', requestId: 'r-2' },
        msg: outcome.error.message,
      },
    ])
  })

  it('names the path of a number JSON cannot carry, with or without result validation', async () => {
    for (const validateResult of [true, false]) {
      const outcome = await invokerWith({ validateResult }).invoke({ action: 'infinite' })
      expect(outcome.ok).toBe(false)
      if (outcome.ok) return
      expect(outcome.error).toMatchObject({ code: 'INVALID_RESULT', expose: false })
      expect(outcome.error.message).toBe(
        'Action infinite returned a number JSON cannot carry: /ratio must be a finite number (got Infinity)',
      )
      expect(outcome.error.issues?.map((issue) => issue.path)).toEqual(['/ratio'])
    }
  })

  it('logs a server error the handler threw with the error itself', async () => {
    const log = recordingLogger()
    const outcome = await invokerWith({ log }).invoke({ action: 'unavailable', requestId: 'r-3' })
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    expect(outcome.error).toMatchObject({ code: 'UNAVAILABLE', message: 'The ledger is down' })
    expect(log.entries).toEqual([
      {
        level: 'error',
        obj: { err: outcome.error, action: 'unavailable', code: 'UNAVAILABLE', requestId: 'r-3' },
        msg: 'The ledger is down',
      },
    ])
  })

  it('logs the cause of an INVALID_RESULT raised with one, not its (absent) issues', async () => {
    const log = recordingLogger()
    const cause = new Error('serializer gave up')
    const outcome = await invokerWith({
      log,
      plugins: [
        {
          name: 'encoder',
          onResult: () => {
            throw new ActionError('INVALID_RESULT', 'The result cannot be encoded', { cause })
          },
        },
      ],
    }).invoke({ action: 'context', requestId: 'r-4' })
    expect(outcome.ok).toBe(false)
    expect(log.entries).toEqual([
      {
        level: 'error',
        obj: { err: cause, action: 'context', code: 'INVALID_RESULT', requestId: 'r-4' },
        msg: 'The result cannot be encoded',
      },
    ])
  })

  it('refuses a bearer token when no authenticator is configured, saying so', async () => {
    const outcome = await invokerWith().invoke({
      action: 'context',
      authorizationHeader: 'Bearer abc.def.ghi',
    })
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    expect(outcome.error).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'This server is not configured to accept bearer tokens',
      data: { reason: 'no_authenticator' },
    })
  })
})
