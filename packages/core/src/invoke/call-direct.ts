import { ACTION_KEY, type AnyAction, type CallOptions } from '../action/action.ts'
import { silentLogger } from '../log/logger.ts'
import { registerAction, type RegisteredAction } from '../registry/registered-action.ts'
import { createHookResolver } from './hooks.ts'
import { defaultValidateResult } from './invoker.ts'
import { runPipeline, type PipelineSettings } from './pipeline.ts'

const compiled = new WeakMap<AnyAction, RegisteredAction>()
let settings: PipelineSettings | undefined

/**
 * Calling an action as a function: the same validation, timeout and result check as any
 * trigger, without a registry (so no app plugins). Input is cloned because the pipeline
 * coerces in place and the caller's object is not ours to change.
 */
export async function callDirect(
  action: AnyAction,
  input: unknown,
  options: CallOptions = {},
): Promise<unknown> {
  let registered = compiled.get(action)
  if (registered === undefined) {
    const name = action[ACTION_KEY].name ?? 'anonymous_action'
    registered = registerAction(action, name, `direct call of ${name}`)
    compiled.set(action, registered)
  }
  settings ??= {
    hooks: createHookResolver([]),
    validateResult: defaultValidateResult(),
    log: silentLogger,
    // A direct call is in-process: callers pass a trusted Authorization, never a token.
    authenticator: undefined,
  }
  const outcome = await runPipeline(
    registered,
    {
      action: registered,
      input: input === undefined ? undefined : structuredClone(input),
      authorization: options.authorization ?? null,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.parent === undefined ? {} : { parent: options.parent }),
    },
    settings,
  )
  if (!outcome.ok) throw outcome.error
  return outcome.result
}
