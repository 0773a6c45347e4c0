import { action, ActionError, Type, WEB_GET, WEB_POST, type AnyAction } from '@servey/core'

const EchoParams = Type.Object({
  text: Type.String(),
  number: Type.Number(),
  nested: Type.Object({ label: Type.String(), items: Type.Array(Type.Integer()) }),
  list: Type.Array(Type.String()),
})

const ValidatedParams = Type.Object({
  count: Type.Integer({ minimum: 1 }),
  tags: Type.Array(Type.String()),
  flag: Type.Boolean(),
})

const ClosedParams = Type.Object({ name: Type.String() }, { additionalProperties: false })

/** How long `slow` would run if nothing stopped it: far past its 50 ms timeout. */
const SLOW_HANDLER_MS = 2_000

export interface ConformanceFixtures {
  /** The actions a conformance registry is built from; each has a web trigger. */
  readonly actions: readonly AnyAction[]
  /** Every reason `slow` saw its signal abort with, in order: evidence the handler was told. */
  readonly slowAbortReasons: readonly unknown[]
}

/**
 * Fresh fixture actions for one conformance run. A new set per suite keeps what `slow`
 * observed from leaking between suites that share a test file.
 */
export function createConformanceFixtures(): ConformanceFixtures {
  const slowAbortReasons: unknown[] = []

  const echo = action(
    {
      name: 'echo',
      description: 'Returns its params unchanged',
      triggers: [WEB_POST],
      params: EchoParams,
      result: EchoParams,
    },
    (params) => params,
  )

  const validatedInput = action(
    {
      name: 'validated_input',
      description: 'Typed query params; the result names only the declared ones',
      triggers: [WEB_GET],
      params: ValidatedParams,
      result: ValidatedParams,
    },
    ({ count, tags, flag }) => ({ count, tags, flag }),
  )

  const closedInput = action(
    {
      name: 'closed_input',
      description: 'A schema that forbids params it does not declare',
      triggers: [WEB_GET],
      params: ClosedParams,
      result: Type.String(),
    },
    ({ name }) => name,
  )

  const failing = action(
    { name: 'failing', triggers: [WEB_GET], result: Type.String() },
    async (): Promise<string> => {
      throw new ActionError('NOT_FOUND', 'No such thing')
    },
  )

  const crashing = action(
    { name: 'crashing', triggers: [WEB_POST], result: Type.String() },
    async (): Promise<string> => {
      throw new Error('secret internals')
    },
  )

  const slow = action(
    { name: 'slow', triggers: [WEB_GET], timeout: 50, result: Type.String() },
    (_params, context) =>
      new Promise<string>((resolve) => {
        const timer = setTimeout(() => resolve('finished'), SLOW_HANDLER_MS)
        context.signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer)
            slowAbortReasons.push(context.signal.reason)
            resolve('aborted')
          },
          { once: true },
        )
      }),
  )

  // Number.MAX_VALUE * 2 is Infinity, which JSON cannot carry: a serializer would write null
  // or throw, so the transport must answer the coded error core raises instead.
  const scaled = action(
    {
      name: 'scaled',
      triggers: [WEB_POST],
      params: Type.Object({ factor: Type.Number() }),
      result: Type.Number(),
    },
    ({ factor }) => Number.MAX_VALUE * factor,
  )

  return {
    actions: [echo, validatedInput, closedInput, failing, crashing, slow, scaled],
    slowAbortReasons,
  }
}
