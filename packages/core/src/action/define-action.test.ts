import { Type, type TObject, type TSchema } from 'typebox'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { isActionError } from '../errors/action-error.ts'
import { WEB_GET } from '../trigger/web-trigger.ts'
import { ACTION_KEY, isAction, type ActionOptions } from './action.ts'
import { action } from './define-action.ts'

function thrownBy(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

describe('action()', () => {
  it('returns a function carrying its frozen definition', () => {
    const greet = action(
      {
        name: 'say_hello',
        triggers: [WEB_GET],
        params: Type.Object({ name: Type.String() }),
        result: Type.String(),
        description: 'Greet a user!',
        tags: ['greetings'],
        examples: [{ name: 'greet', params: { name: 'Developer' }, result: 'Hello Developer!' }],
      },
      ({ name }) => `Hello ${name}!`,
    )
    expect(isAction(greet)).toBe(true)
    expect(greet.name).toBe('say_hello')
    const definition = greet[ACTION_KEY]
    expect(definition).toMatchObject({
      name: 'say_hello',
      description: 'Greet a user!',
      triggers: [WEB_GET],
      timeoutMs: 15_000,
      tags: ['greetings'],
      deprecated: false,
    })
    expect(definition.examples).toHaveLength(1)
    expect(Object.isFrozen(definition)).toBe(true)
    expect(Object.isFrozen(definition.triggers)).toBe(true)
    // The definition is not an enumerable key, so spreading or logging an action stays clean.
    expect(Object.keys(greet)).toEqual([])
  })

  it('takes the name from the handler function, in snake_case', () => {
    const fromFunction = action({}, function numberStats() {
      return 1
    })
    expect(fromFunction[ACTION_KEY].name).toBe('number_stats')
    expect(fromFunction.name).toBe('number_stats')
  })

  it('prefers an explicit name over the function name', () => {
    const named = action({ name: 'explicit_name' }, function numberStats() {
      return 1
    })
    expect(named[ACTION_KEY].name).toBe('explicit_name')
  })

  it('leaves the name undefined for an anonymous handler, for the registry to fill in', () => {
    const anonymous = action({}, () => 1)
    expect(anonymous[ACTION_KEY].name).toBeUndefined()
    expect(anonymous.name).toBe('')
  })

  it('does not lend the wrapper name to an action built on an unnamed action', () => {
    const inner = action({}, () => 1)
    const outer = action({}, inner as never)
    expect(outer[ACTION_KEY].name).toBeUndefined()
  })

  it('defaults params to an empty object schema and triggers, examples and tags to empty lists', () => {
    const bare = action({}, () => 'ok')
    const definition = bare[ACTION_KEY]
    expect(definition.params).toMatchObject({ type: 'object', properties: {} })
    expect(definition.result).toBeUndefined()
    expect(definition.triggers).toEqual([])
    expect(definition.examples).toEqual([])
    expect(definition.tags).toEqual([])
  })

  it('reads the timeout as a duration', () => {
    expect(action({ timeout: '2s' }, () => 1)[ACTION_KEY].timeoutMs).toBe(2000)
    expect(action({ timeout: 250 }, () => 1)[ACTION_KEY].timeoutMs).toBe(250)
  })

  it('caps timeouts at what setTimeout can hold, instead of letting them fire at once', () => {
    expect(action({ timeout: '30d' }, () => 1)[ACTION_KEY].timeoutMs).toBe(2_147_483_647)
  })

  it('rejects an invalid timeout with SERVEY_ERR_DURATION_INVALID naming the action', () => {
    const error = thrownBy(() => action({ name: 'slow', timeout: 'soon' }, () => 1))
    expect(error).toMatchObject({ code: 'SERVEY_ERR_DURATION_INVALID' })
    expect((error as Error).message).toContain('action slow')
  })

  it('rejects a missing handler with SERVEY_ERR_ACTION_HANDLER_MISSING', () => {
    const error = thrownBy(() => action({ name: 'x' }, undefined as never))
    expect(error).toBeInstanceOf(TypeError)
    expect(error).toMatchObject({ code: 'SERVEY_ERR_ACTION_HANDLER_MISSING' })
  })

  it('rejects an unknown option, with a hint for the spellings other frameworks use', () => {
    const withInput = thrownBy(() =>
      action({ input: Type.Object({}) } as ActionOptions<TObject, TSchema>, () => 1),
    )
    expect(withInput).toMatchObject({ code: 'SERVEY_ERR_ACTION_OPTION_UNKNOWN' })
    expect((withInput as Error).message).toBe(
      "Unknown action option 'input' (did you mean 'params'?)",
    )

    const withOutput = thrownBy(() => action({ output: Type.String() } as never, () => 1))
    expect((withOutput as Error).message).toContain("(did you mean 'result'?)")

    const withTrigger = thrownBy(() => action({ trigger: WEB_GET } as never, () => 1))
    expect((withTrigger as Error).message).toContain("(did you mean 'triggers'?)")

    const unrelated = thrownBy(() => action({ colour: 'blue' } as never, () => 1))
    expect((unrelated as Error).message).toBe("Unknown action option 'colour'")
  })

  it('rejects a params schema that is not an object schema', () => {
    const error = thrownBy(() =>
      action({ name: 'count', params: Type.String() as unknown as TObject }, () => 1),
    )
    expect(error).toBeInstanceOf(TypeError)
    expect(error).toMatchObject({ code: 'SERVEY_ERR_ACTION_PARAMS_NOT_OBJECT' })
    expect((error as Error).message).toContain('action count')
  })
})

describe('action() types', () => {
  // Checked by `tsc` (the root typecheck includes tests); the runtime half keeps vitest honest.
  it('infers the handler params and the call result from the schemas', async () => {
    const stats = action(
      {
        name: 'stats',
        params: Type.Object({
          numbers: Type.Array(Type.Number()),
          label: Type.Optional(Type.String()),
        }),
        result: Type.Object({ count: Type.Integer(), label: Type.String() }),
      },
      (params) => {
        expectTypeOf(params).toEqualTypeOf<{ numbers: number[]; label?: string }>()
        return { count: params.numbers.length, label: params.label ?? 'none' }
      },
    )
    expectTypeOf(stats).parameter(0).toEqualTypeOf<{ numbers: number[]; label?: string }>()
    expectTypeOf(stats).returns.resolves.toEqualTypeOf<{ count: number; label: string }>()
    await expect(stats({ numbers: [1, 2] })).resolves.toEqual({ count: 2, label: 'none' })
  })
})

describe('an action called directly as a function', () => {
  const add = action(
    {
      params: Type.Object({ a: Type.Number(), b: Type.Number({ default: 1 }) }),
      result: Type.Number(),
    },
    function add({ a, b }) {
      return a + b
    },
  )

  it('validates params, applies defaults and resolves to the result', async () => {
    await expect(add({ a: 2, b: 3 })).resolves.toBe(5)
    await expect(add({ a: 2 } as never)).resolves.toBe(3)
  })

  it('rejects bad params with an INVALID_PARAMS ActionError', async () => {
    const error: unknown = await add({ a: 'two' } as never).catch((caught: unknown) => caught)
    expect(isActionError(error)).toBe(true)
    expect(error).toMatchObject({ code: 'INVALID_PARAMS', status: 400, issues: [{ path: '/a' }] })
  })

  it('does not change the object it was given', async () => {
    const input = { a: 2 }
    await add(input as never)
    expect(input).toEqual({ a: 2 })
  })

  it('times out and aborts its signal', async () => {
    let signal: AbortSignal | undefined
    const slow = action({ name: 'slow', timeout: '30ms' }, async (_params, context) => {
      signal = context.signal
      await new Promise((resolve) => setTimeout(resolve, 1000))
      return 'late'
    })
    const error: unknown = await slow({}).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'TIMEOUT', status: 504 })
    expect(signal?.aborted).toBe(true)
  })

  it('passes authorization and the caller signal through', async () => {
    const whoAmI = action({ name: 'who_am_i' }, (_params, context) => ({
      subject: context.authorization?.subject ?? null,
      action: context.action,
      trigger: context.trigger.kind,
    }))
    const authorization = { subject: 'root', scopes: ['admin'], claims: {} }
    await expect(whoAmI({}, { authorization })).resolves.toEqual({
      subject: 'root',
      action: 'who_am_i',
      trigger: 'direct',
    })

    const controller = new AbortController()
    const pending = action({ name: 'waits' }, () => new Promise(() => {}))(
      {},
      { signal: controller.signal },
    )
    controller.abort()
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' })
  })
})
