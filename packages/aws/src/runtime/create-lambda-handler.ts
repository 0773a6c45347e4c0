import {
  ActionError,
  createInvoker,
  createRegistry,
  type Authenticator,
  type InvokePlugin,
  type Invoker,
  type Logger,
} from '@servey/core'
import { authenticatorFromEnv } from './authenticator-from-env.ts'
import { invokeDirect } from './direct-invocation.ts'
import { eventKindOf, type EventKind } from './event-kind.ts'
import { LambdaInvocationError } from './invocation-error.ts'
import type { LambdaContext } from './lambda-context.ts'
import { createLambdaLogger } from './lambda-logger.ts'
import { runScheduled } from './scheduled-run.ts'

export interface LambdaHandlerOptions {
  /** The app's actions, as `createRegistry` takes them: a module namespace, objects, arrays. */
  readonly actions: unknown
  /** The one action of a per-action function; leave it out for a router function. */
  readonly action?: string
  /** Default `process.env`: JWT_* settings and LOG_LEVEL are read from it. */
  readonly env?: NodeJS.ProcessEnv
  /**
   * Verifies bearer tokens. Default: from JWT_SECRET_KEY, JWT_PUBLIC_KEY or JWT_JWKS_URL, as
   * `servey start` reads them, or JWT_KMS_KEY_ID; with none set, no token is accepted (401
   * `no_authenticator`).
   */
  readonly authenticator?: Authenticator
  readonly plugins?: readonly InvokePlugin[]
  /** Default: JSON lines on stdout (CloudWatch Logs), at LOG_LEVEL. */
  readonly log?: Logger
}

export type LambdaHandler = (event: unknown, context?: LambdaContext) => Promise<unknown>

/**
 * One Lambda handler for every event shape a Servey function receives: it looks at the event,
 * translates it in, calls core's invoker, and translates the outcome out. The registry is built
 * at import (validators compile on first use, so init stays short); the token keys are loaded
 * on the first event, once.
 */
export function createLambdaHandler(options: LambdaHandlerOptions): LambdaHandler {
  const env = options.env ?? process.env
  const log = options.log ?? createLambdaLogger(env)
  const registry = createRegistry(options.actions, { compile: 'lazy' })
  if (options.action !== undefined && registry.get(options.action) === undefined) {
    throw new ActionError('UNKNOWN_ACTION', `No action is named '${options.action}'`)
  }
  let ready: Promise<Invoker> | undefined
  const invokerReady = (): Promise<Invoker> =>
    (ready ??= (async () => {
      const authenticator = options.authenticator ?? (await authenticatorFromEnv(env))
      return createInvoker(registry, {
        log,
        ...(authenticator === undefined ? {} : { authenticator }),
        ...(options.plugins === undefined ? {} : { plugins: options.plugins }),
      })
    })())

  const handlers: Partial<
    Record<
      EventKind,
      (
        event: Record<string, unknown>,
        invoker: Invoker,
        requestId: string | undefined,
      ) => Promise<unknown>
    >
  > = {
    direct: (event, invoker, requestId) =>
      invokeDirect(event, { invoker, action: options.action, log, requestId }),
    schedule: (event, invoker, requestId) =>
      runScheduled(event, { invoker, action: options.action, log, requestId }),
  }

  return async (event, context) => {
    const requestId = context?.awsRequestId
    const kind = eventKindOf(event)
    const handle = handlers[kind]
    if (handle === undefined) {
      throw new LambdaInvocationError(
        new ActionError('BAD_REQUEST', `This function does not handle ${kind} events`),
        requestId,
      )
    }
    return handle(event as Record<string, unknown>, await invokerReady(), requestId)
  }
}
