import { getEventListeners } from 'node:events'
import { Type } from 'typebox'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ActionContext } from '../action/context.ts'
import { action } from '../action/define-action.ts'
import { ActionError } from '../errors/action-error.ts'
import { createRegistry } from '../registry/registry.ts'
import { createInvoker } from './invoker.ts'

// What a finished call leaves behind: every call that awaited an async handler armed a
// timeout timer and listened on the caller's signal; both must go when it settles, or a busy
// server keeps a timer per call alive for `timeout` and the signal keeps every call's context.
let seen: AbortSignal | undefined
// A function, so TypeScript does not narrow the variable to what a test last assigned.
const seenSignal = (): AbortSignal | undefined => seen
const registry = createRegistry({
  quick: action({ timeout: 60_000 }, async (_params, context: ActionContext) => {
    seen = context.signal
    await Promise.resolve()
    return 'ok'
  }),
  failing: action({ timeout: 60_000 }, async () => {
    await Promise.resolve()
    throw new ActionError('CONFLICT', 'taken')
  }),
  nothing: action({ result: Type.Null() }, () => null),
  no_result: action({}, () => null),
  undefined_result: action({}, () => undefined),
})
const invoker = createInvoker(registry, { validateResult: true })

describe('after an async handler settles', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it.each(['quick', 'failing'])('%s clears its timeout timer', async (name) => {
    vi.useFakeTimers()
    const outcome = await invoker.invoke({ action: name, signal: new AbortController().signal })
    expect(outcome.ok).toBe(name === 'quick')
    expect(vi.getTimerCount()).toBe(0)
  })

  it.each(['quick', 'failing'])('%s stops listening on the caller signal', async (name) => {
    const controller = new AbortController()
    await invoker.invoke({ action: name, signal: controller.signal })
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })

  it('does not abort the finished call when its caller goes away afterwards', async () => {
    const controller = new AbortController()
    seen = undefined
    expect(await invoker.invoke({ action: 'quick', signal: controller.signal })).toEqual({
      ok: true,
      result: 'ok',
    })
    controller.abort()
    expect(seenSignal()?.aborted).toBe(false)
  })
})

describe('sync handlers returning nothing', () => {
  it('answers null from a sync handler, checked against a null result schema', async () => {
    expect(await invoker.invoke({ action: 'nothing' })).toEqual({ ok: true, result: null })
  })

  it('answers null and undefined from an action without a result schema', async () => {
    expect(await invoker.invoke({ action: 'no_result' })).toEqual({
      ok: true,
      result: null,
    })
    expect(await invoker.invoke({ action: 'undefined_result' })).toEqual({
      ok: true,
      result: undefined,
    })
  })
})
