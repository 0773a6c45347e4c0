import { Type } from 'typebox'
import { describe, expect, it, vi } from 'vitest'
import { action } from '../action/define-action.ts'
import { ActionError } from '../errors/action-error.ts'
import { createRegistry } from '../registry/registry.ts'
import { anyScope } from '../security/access-policy.ts'
import { createInvoker } from './invoker.ts'

const Item = Type.Object({ id: Type.Integer() }, { $id: 'Item' })

function batchedDouble(batch: (ids: number[], factor: number) => unknown) {
  const single = vi.fn((factor: number, id: number) => id * factor)
  const many = vi.fn((parents: { id: number }[], { factor }: { factor: number }) =>
    batch(
      parents.map((parent) => parent.id),
      factor,
    ),
  )
  const double = action(
    {
      name: 'double',
      parent: Item,
      params: Type.Object({ factor: Type.Integer({ minimum: 1, default: 2 }) }),
      result: Type.Integer(),
      batch: many as never,
    },
    ({ factor }, { parent }) => single(factor, parent.id),
  )
  return { double, single, many }
}

describe('invokeBatch', () => {
  it('calls the batch form once for every parent and returns results in order', async () => {
    const { double, single, many } = batchedDouble((ids, factor) => ids.map((id) => id * factor))
    const invoker = createInvoker(createRegistry({ double }))
    const outcomes = await invoker.invokeBatch({
      action: 'double',
      input: { factor: 3 },
      parents: [{ id: 1 }, { id: 2 }, { id: 3 }],
    })
    expect(outcomes).toEqual([
      { ok: true, result: 3 },
      { ok: true, result: 6 },
      { ok: true, result: 9 },
    ])
    expect(many).toHaveBeenCalledTimes(1)
    expect(single).not.toHaveBeenCalled()
  })

  it('validates the shared params once per call, defaults included', async () => {
    const { double } = batchedDouble((ids, factor) => ids.map((id) => id * factor))
    const invoker = createInvoker(createRegistry({ double }))
    expect(
      await invoker.invokeBatch({ action: double.name, input: {}, parents: [{ id: 5 }] }),
    ).toEqual([{ ok: true, result: 10 }])
    const invalid = await invoker.invokeBatch({
      action: 'double',
      input: { factor: 0 },
      parents: [{ id: 1 }, { id: 2 }],
    })
    expect(invalid.map((outcome) => (outcome.ok ? 'ok' : outcome.error.code))).toEqual([
      'INVALID_PARAMS',
      'INVALID_PARAMS',
    ])
  })

  it('leaves out of the batch the calls a hook answered, and still checks each result', async () => {
    const { double, many } = batchedDouble((ids) => ids.map((id) => (id === 3 ? 'three' : id)))
    const invoker = createInvoker(createRegistry({ double }), {
      validateResult: true,
      plugins: [
        {
          name: 'cache',
          onInvoke: (event) =>
            (event.context as unknown as { parent: { id: number } }).parent.id === 2
              ? { result: 200 }
              : undefined,
        },
      ],
    })
    const outcomes = await invoker.invokeBatch({
      action: 'double',
      input: { factor: 1 },
      parents: [{ id: 1 }, { id: 2 }, { id: 3 }],
    })
    expect(many).toHaveBeenCalledTimes(1)
    expect(many.mock.calls[0]?.[0]).toEqual([{ id: 1 }, { id: 3 }])
    expect(outcomes.map((outcome) => (outcome.ok ? outcome.result : outcome.error.code))).toEqual([
      1,
      200,
      'INVALID_RESULT',
    ])
  })

  it('fails every batched call with a masked INTERNAL when the batch form miscounts', async () => {
    const { double } = batchedDouble(() => [1])
    const invoker = createInvoker(createRegistry({ double }))
    const outcomes = await invoker.invokeBatch({
      action: 'double',
      input: {},
      parents: [{ id: 1 }, { id: 2 }],
    })
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({
        ok: false,
        error: {
          code: 'INTERNAL',
          expose: false,
          message: 'The batch handler of action double returned 1 results for 2 parents',
        },
      })
    }
  })

  it('passes an ActionError thrown by the batch form to every call in the batch', async () => {
    const { double } = batchedDouble(async () => {
      throw new ActionError('UNAVAILABLE', 'Database down')
    })
    const invoker = createInvoker(createRegistry({ double }))
    const outcomes = await invoker.invokeBatch({
      action: 'double',
      input: {},
      parents: [{ id: 1 }, { id: 2 }],
    })
    expect(outcomes.map((outcome) => !outcome.ok && outcome.error.message)).toEqual([
      'Database down',
      'Database down',
    ])
  })

  it('checks access per call before anything runs', async () => {
    const many = vi.fn(() => [1])
    const secret = action(
      { name: 'secret', parent: Item, access: anyScope('root'), batch: many },
      () => 1,
    )
    const invoker = createInvoker(createRegistry({ secret }))
    const outcomes = await invoker.invokeBatch({ action: 'secret', parents: [{ id: 1 }] })
    expect(outcomes).toMatchObject([{ ok: false, error: { code: 'UNAUTHENTICATED' } }])
    expect(many).not.toHaveBeenCalled()
  })

  it('times the batch out like a single call and aborts its signal', async () => {
    const reasons: unknown[] = []
    const slow = action(
      {
        name: 'slow',
        parent: Item,
        timeout: 30,
        batch: (parents, _params, { signal }) =>
          new Promise<number[]>((resolve) => {
            const timer = setTimeout(() => resolve(parents.map(() => 1)), 2_000)
            signal.addEventListener('abort', () => {
              clearTimeout(timer)
              reasons.push(signal.reason)
            })
          }),
      },
      () => 1,
    )
    const invoker = createInvoker(createRegistry({ slow }))
    const outcomes = await invoker.invokeBatch({ action: 'slow', parents: [{ id: 1 }, { id: 2 }] })
    expect(outcomes.map((outcome) => !outcome.ok && outcome.error.code)).toEqual([
      'TIMEOUT',
      'TIMEOUT',
    ])
    expect(reasons).toMatchObject([{ code: 'TIMEOUT' }])
  })

  it('runs call by call when the action has no batch form', async () => {
    const handler = vi.fn((_params: unknown, { parent }: { parent: { id: number } }) => parent.id)
    const plain = action({ name: 'plain', parent: Item, result: Type.Integer() }, handler)
    const invoker = createInvoker(createRegistry({ plain }))
    expect(await invoker.invokeBatch({ action: 'plain', parents: [{ id: 7 }, { id: 8 }] })).toEqual(
      [
        { ok: true, result: 7 },
        { ok: true, result: 8 },
      ],
    )
    expect(handler).toHaveBeenCalledTimes(2)
  })

  it('answers UNKNOWN_ACTION for every parent of an unknown action', async () => {
    const invoker = createInvoker(createRegistry({}))
    const outcomes = await invoker.invokeBatch({ action: 'nope', parents: [{}, {}] })
    expect(outcomes.map((outcome) => !outcome.ok && outcome.error.code)).toEqual([
      'UNKNOWN_ACTION',
      'UNKNOWN_ACTION',
    ])
  })
})
