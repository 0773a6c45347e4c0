import { Type } from 'typebox'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { createInvoker } from '../invoke/invoker.ts'
import { createRegistry } from '../registry/registry.ts'
import { ACTION_KEY } from './action.ts'
import { action } from './define-action.ts'

const NumberStats = Type.Object({ value: Type.Integer() }, { $id: 'NumberStats' })

function factorialOf(value: number): number {
  let result = 1
  for (let i = 2; i <= value; i++) result *= i
  return result
}

const factorial = action(
  { name: 'factorial', parent: NumberStats, result: Type.Integer() },
  (_params, { parent }) => {
    expectTypeOf(parent).toEqualTypeOf<{ value: number }>()
    return factorialOf(parent.value)
  },
)

describe('nested actions', () => {
  it('records the parent schema on the definition', () => {
    expect(factorial[ACTION_KEY].parent).toBe(NumberStats)
    expect(factorial[ACTION_KEY].batch).toBeUndefined()
  })

  it('hands the parent to the handler as context.parent', async () => {
    const invoker = createInvoker(createRegistry({ factorial }))
    expect(await invoker.invoke({ action: 'factorial', parent: { value: 5 } })).toEqual({
      ok: true,
      result: 120,
    })
    expect(await factorial({}, { parent: { value: 4 } })).toBe(24)
  })

  it('refuses a call without its parent with BAD_REQUEST', async () => {
    const invoker = createInvoker(createRegistry({ factorial }))
    const outcome = await invoker.invoke({ action: 'factorial' })
    expect(outcome).toMatchObject({
      ok: false,
      error: {
        code: 'BAD_REQUEST',
        message: 'Action factorial is a field of NumberStats and needs the object it is called on',
      },
    })
  })

  it('types the batch form from params, result and parent', () => {
    const batched = action(
      {
        name: 'factorials',
        parent: NumberStats,
        params: Type.Object({ offset: Type.Integer() }),
        result: Type.Integer(),
        batch: (parents, { offset }) => {
          expectTypeOf(parents).toEqualTypeOf<{ value: number }[]>()
          return parents.map((parent) => factorialOf(parent.value) + offset)
        },
      },
      ({ offset }, { parent }) => factorialOf(parent.value) + offset,
    )
    expect(typeof batched[ACTION_KEY].batch).toBe('function')
  })

  it('refuses a parent that is not a named object schema', () => {
    expect(() =>
      action({ name: 'x', parent: Type.Object({ value: Type.Integer() }) }, () => 1),
    ).toThrow(expect.objectContaining({ code: 'SERVEY_ERR_ACTION_PARENT_INVALID' }))
    expect(() => action({ name: 'x', parent: Type.String() as never }, () => 1)).toThrow(
      expect.objectContaining({ code: 'SERVEY_ERR_ACTION_PARENT_INVALID' }),
    )
  })

  it('refuses a batch form without a parent, or one that is not a function', () => {
    expect(() => action({ name: 'x', batch: (() => []) as never }, () => 1)).toThrow(
      expect.objectContaining({
        code: 'SERVEY_ERR_ACTION_BATCH_INVALID',
        message:
          'The batch option of action x is invalid: only a nested action (one with a parent) has a batch form',
      }),
    )
    expect(() => action({ name: 'x', parent: NumberStats, batch: 3 as never }, () => 1)).toThrow(
      expect.objectContaining({ code: 'SERVEY_ERR_ACTION_BATCH_INVALID' }),
    )
  })

  it('checks that a parent $id agrees with the results that use it', () => {
    const other = Type.Object({ value: Type.String() }, { $id: 'NumberStats' })
    expect(() =>
      createRegistry({
        factorial,
        number_stats: action({ result: other }, () => ({ value: 'x' })),
      }),
    ).toThrow(expect.objectContaining({ code: 'SERVEY_ERR_SCHEMA_ID_CONFLICT' }))
  })
})
