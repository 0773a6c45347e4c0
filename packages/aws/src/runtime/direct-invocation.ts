import { ActionError, type Invoker, type Logger, type Trigger } from '@servey/core/adapter'
import { LambdaInvocationError } from './invocation-error.ts'

/**
 * A direct invocation (`aws lambda invoke`, the SDK's InvokeCommand, a Step Functions task):
 * `{ params, authorization? }`, plus `action` for a function that serves several actions. The
 * original's `action_name` is read too. `authorization` is a bearer token, verified like any
 * other: IAM decides who may invoke the function, the token who the caller is.
 */
export interface DirectInvocation {
  readonly action?: string
  readonly action_name?: string
  readonly params?: unknown
  readonly authorization?: string
}

/** `context.trigger` of a direct Lambda invocation: a direct call, made through Lambda. */
const LAMBDA_DIRECT: Trigger = Object.freeze({ kind: 'direct', via: 'lambda' })

export interface DirectTarget {
  readonly invoker: Invoker
  /** The action of a per-action function; undefined for a router. */
  readonly action: string | undefined
  readonly log: Logger
  readonly requestId: string | undefined
}

function actionOf(event: Record<string, unknown>, fallback: string | undefined): string {
  const named = event['action'] ?? event['action_name']
  if (named !== undefined && typeof named !== 'string') {
    throw new ActionError('BAD_REQUEST', '`action` must be the name of an action')
  }
  const name = named ?? fallback
  if (name === undefined) {
    throw new ActionError(
      'BAD_REQUEST',
      'This function serves several actions: name one with `action` next to `params`',
    )
  }
  return name
}

function authorizationHeaderOf(event: Record<string, unknown>): string | undefined {
  const token = event['authorization']
  if (token === undefined || token === null) return undefined
  if (typeof token !== 'string') {
    // The original trusted an unsigned authorization object here; a token is verified instead.
    throw new ActionError(
      'UNAUTHENTICATED',
      '`authorization` must be a bearer token (a JWT string), verified like any other',
    )
  }
  return /^bearer\s/i.test(token) ? token : `Bearer ${token}`
}

/** Run the call and return its result, or throw a LambdaInvocationError with its code. */
export async function invokeDirect(
  event: Record<string, unknown>,
  target: DirectTarget,
): Promise<unknown> {
  let outcome
  try {
    const authorizationHeader = authorizationHeaderOf(event)
    outcome = await target.invoker.invoke({
      action: actionOf(event, target.action),
      input: event['params'] ?? {},
      trigger: LAMBDA_DIRECT,
      log: target.log,
      ...(target.requestId === undefined ? {} : { requestId: target.requestId }),
      ...(authorizationHeader === undefined ? {} : { authorizationHeader }),
    })
  } catch (thrown) {
    if (thrown instanceof ActionError) outcome = { ok: false as const, error: thrown }
    else throw thrown
  }
  if (outcome.ok) return outcome.result ?? null
  throw new LambdaInvocationError(outcome.error, target.requestId)
}
