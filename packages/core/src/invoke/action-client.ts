import type { Authorization } from '../action/context.ts'
import { toProblem, type Problem } from '../errors/problem.ts'
import type { RegisteredAction } from '../registry/registered-action.ts'
import { DIRECT } from '../trigger/trigger.ts'
import type { Invoker } from './invoker.ts'

export type ClientOutcome =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly problem: Problem }

export interface ClientCallOptions {
  readonly authorization?: Authorization | null
}

/**
 * Calls an action over one transport and reports the outcome in transport-neutral terms.
 * Each adapter ships one (REST over `inject`, GraphQL over `yoga.fetch`, ...), so generated
 * example tests and the conformance suite run the same assertions through every transport.
 */
export interface ActionClient {
  /** Shown in test names: `in-process`, `rest`, `graphql`. */
  readonly name: string
  /** False when this transport does not serve the action (say, no web trigger). */
  serves(action: RegisteredAction): boolean
  call(
    action: RegisteredAction,
    params: unknown,
    options?: ClientCallOptions,
  ): Promise<ClientOutcome>
}

/** The reference client: straight into the invoke pipeline. */
export function createInProcessClient(invoker: Invoker): ActionClient {
  return {
    name: 'in-process',
    serves: () => true,
    async call(action, params, options = {}) {
      const outcome = await invoker.invoke({
        action,
        input: structuredClone(params),
        trigger: DIRECT,
        authorization: options.authorization ?? null,
      })
      return outcome.ok ? outcome : { ok: false, problem: toProblem(outcome.error) }
    },
  }
}
