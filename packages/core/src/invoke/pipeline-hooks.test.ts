import { Type } from 'typebox'
import { describe, expect, it } from 'vitest'
import { action } from '../action/define-action.ts'
import { ActionError } from '../errors/action-error.ts'
import { createRegistry } from '../registry/registry.ts'
import type { InvokePlugin } from './hooks.ts'
import { createInvoker, type InvokerOptions } from './invoker.ts'
import { recordingLogger } from './recording-logger.fixture.ts'

const registry = createRegistry({
  sayHello: action(
    { params: Type.Object({ name: Type.String(), greeting: Type.String({ default: 'Hello' }) }) },
    ({ name, greeting }) => `${greeting} ${name}!`,
  ),
  order: action({ params: Type.Object({ item: Type.String() }) }, ({ item }) => item),
  notFound: action({}, async () => {
    throw new ActionError('NOT_FOUND', 'No such order')
  }),
})

function invokerWith(options: InvokerOptions = {}) {
  return createInvoker(registry, options)
}

describe('pipeline hooks', () => {
  function tracing(
    calls: string[],
    name: string,
    overrides: Partial<InvokePlugin> = {},
  ): InvokePlugin {
    return {
      name,
      onRequest: (event) => {
        calls.push(`${name}.onRequest params=${JSON.stringify(event.params)}`)
      },
      onInvoke: (event) => {
        calls.push(`${name}.onInvoke params=${JSON.stringify(event.params)}`)
      },
      onResult: (_event, result) => {
        calls.push(`${name}.onResult ${JSON.stringify(result)}`)
      },
      onError: (_event, error) => {
        calls.push(`${name}.onError ${error.code}`)
      },
      ...overrides,
    }
  }

  it('run onRequest → onInvoke → onResult, plugin by plugin in order', async () => {
    const calls: string[] = []
    const invoker = invokerWith({ plugins: [tracing(calls, 'a'), tracing(calls, 'b')] })
    await invoker.invoke({ action: 'say_hello', input: { name: 'X' } })
    expect(calls).toEqual([
      'a.onRequest params=undefined',
      'b.onRequest params=undefined',
      'a.onInvoke params={"name":"X","greeting":"Hello"}',
      'b.onInvoke params={"name":"X","greeting":"Hello"}',
      'a.onResult "Hello X!"',
      'b.onResult "Hello X!"',
    ])
  })

  it('run a plugin only for the actions it applies to, asking once per action', async () => {
    const calls: string[] = []
    const asked: string[] = []
    const narrow = tracing(calls, 'narrow', {
      appliesTo: (registered) => {
        asked.push(registered.name)
        return registered.name === 'order'
      },
    })
    const invoker = invokerWith({ plugins: [tracing(calls, 'all'), narrow] })
    for (let round = 0; round < 2; round++) {
      await invoker.invoke({ action: 'say_hello', input: { name: 'X' } })
      await invoker.invoke({ action: 'order', input: {} })
    }
    const once = [
      'all.onRequest params=undefined',
      'all.onInvoke params={"name":"X","greeting":"Hello"}',
      'all.onResult "Hello X!"',
      'all.onRequest params=undefined',
      'narrow.onRequest params=undefined',
      'all.onError INVALID_PARAMS',
      'narrow.onError INVALID_PARAMS',
    ]
    expect(calls).toEqual([...once, ...once])
    expect(asked).toEqual(['say_hello', 'order'])
  })

  it('run onError with the normalised error after a failure', async () => {
    const calls: string[] = []
    await invokerWith({ plugins: [tracing(calls, 'a')] }).invoke({ action: 'order', input: {} })
    expect(calls).toEqual(['a.onRequest params=undefined', 'a.onError INVALID_PARAMS'])
  })

  it('let onInvoke answer instead of the handler', async () => {
    let handlerRan = false
    const counted = action({ name: 'counted' }, () => {
      handlerRan = true
      return 'from handler'
    })
    const calls: string[] = []
    const cache: InvokePlugin = { name: 'cache', onInvoke: () => ({ result: 'from cache' }) }
    const invoker = createInvoker(createRegistry({ counted }), {
      plugins: [cache, tracing(calls, 'later')],
    })
    expect(await invoker.invoke({ action: 'counted' })).toEqual({
      ok: true,
      result: 'from cache',
    })
    expect(handlerRan).toBe(false)
    // Hooks after the one that answered do not run for this call.
    expect(calls).toEqual(['later.onRequest params=undefined'])
  })

  it('treat an onInvoke that returns null as no answer', async () => {
    const nullish: InvokePlugin = { name: 'nullish', onInvoke: () => null as never }
    expect(
      await invokerWith({ plugins: [nullish] }).invoke({
        action: 'say_hello',
        input: { name: 'X' },
      }),
    ).toEqual({ ok: true, result: 'Hello X!' })
  })

  it('fail the call when a hook throws, with the thrown ActionError', async () => {
    const calls: string[] = []
    const guard: InvokePlugin = {
      name: 'guard',
      onRequest: () => {
        throw new ActionError('UNAUTHENTICATED', 'Log in first')
      },
    }
    const outcome = await invokerWith({ plugins: [guard, tracing(calls, 'after')] }).invoke({
      action: 'say_hello',
      input: { name: 'X' },
    })
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    expect(outcome.error).toMatchObject({
      code: 'UNAUTHENTICATED',
      status: 401,
      message: 'Log in first',
    })
    expect(calls).toEqual(['after.onError UNAUTHENTICATED'])
  })

  it('await an async onRequest: its refusal fails the call before the handler runs', async () => {
    let handlerRan = false
    const guarded = action({ name: 'guarded' }, () => {
      handlerRan = true
      return 'ran'
    })
    const guard: InvokePlugin = {
      name: 'guard',
      onRequest: async () => {
        await Promise.resolve()
        throw new ActionError('FORBIDDEN', 'Not today')
      },
    }
    const outcome = await createInvoker(createRegistry({ guarded }), { plugins: [guard] }).invoke({
      action: 'guarded',
    })
    expect(outcome).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'Not today' } })
    expect(handlerRan).toBe(false)
  })

  it('fail the call when onResult throws', async () => {
    const failing: InvokePlugin = {
      name: 'failing',
      onResult: async () => {
        throw new Error('metrics backend down')
      },
    }
    const outcome = await invokerWith({ plugins: [failing] }).invoke({
      action: 'say_hello',
      input: { name: 'X' },
    })
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    expect(outcome.error.code).toBe('INTERNAL')
  })

  it('keep the original error when an onError hook throws, and log the hook failure', async () => {
    const log = recordingLogger()
    const calls: string[] = []
    const noisy: InvokePlugin = {
      name: 'noisy',
      onError: () => {
        throw new Error('alerting is down')
      },
    }
    const outcome = await invokerWith({ log, plugins: [noisy, tracing(calls, 'after')] }).invoke({
      action: 'not_found',
    })
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    expect(outcome.error.code).toBe('NOT_FOUND')
    expect(calls).toContain('after.onError NOT_FOUND')
    expect(log.entries).toEqual([
      {
        level: 'error',
        obj: { err: new Error('alerting is down'), action: 'not_found' },
        msg: 'onError hook failed',
      },
    ])
  })

  it('give onRequest the raw input and the context', async () => {
    const seen: unknown[] = []
    const spy: InvokePlugin = {
      name: 'spy',
      onRequest: (event) => {
        // Validation fills defaults into the same object later, so keep a copy of it as sent.
        seen.push(
          structuredClone(event.input),
          event.action.name,
          event.context.authorization?.subject,
        )
      },
    }
    await invokerWith({ plugins: [spy] }).invoke({
      action: 'say_hello',
      input: { name: 'X' },
      authorization: { subject: 'alice', scopes: [], claims: {} },
    })
    expect(seen).toEqual([{ name: 'X' }, 'say_hello', 'alice'])
  })
})
