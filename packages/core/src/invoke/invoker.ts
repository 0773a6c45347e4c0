import type { ChannelPublisher } from '../channel/channel.ts'
import {
  createActionCache,
  isCacheInvalidator,
  type CacheInvalidator,
} from '../cache/action-cache.ts'
import type { Authorization } from '../action/context.ts'
import { ActionError, toActionError } from '../errors/action-error.ts'
import { silentLogger, type Logger } from '../log/logger.ts'
import type { RegisteredAction } from '../registry/registered-action.ts'
import type { Registry } from '../registry/registry.ts'
import { createHookResolver, type InvokePlugin } from './hooks.ts'
import type { Authenticator } from '../security/authenticator.ts'
import { runBatchPipeline, type InvokeBatchRequest } from './batch-pipeline.ts'
import { admitCall, type AdmitOutcome } from './admit.ts'
import {
  authenticate,
  runPipeline,
  type InvokeOutcome,
  type InvokeRequest,
  type PipelineSettings,
} from './pipeline.ts'

export interface InvokerOptions {
  readonly plugins?: readonly InvokePlugin[]
  /** Check results against their schema. Default: on unless NODE_ENV is `production`. */
  readonly validateResult?: boolean
  /** Used when a request brings no logger of its own. */
  readonly log?: Logger
  /**
   * Verifies bearer tokens (`createJwtAuthenticator`, or your own). Without one, any request
   * that carries an Authorization header is refused with 401 `no_authenticator`.
   */
  readonly authenticator?: Authenticator
  /**
   * Where `context.publish` sends events (a channel hub). Without one, a handler publishes
   * through the hub bound to the channel (`createChannelHub` binds its registry's channels).
   */
  readonly channels?: ChannelPublisher
  /**
   * What `context.cache.invalidate` forgets results in. Default: the first plugin that is a
   * result cache (`createResultCache`); without one, invalidating does nothing.
   */
  readonly cache?: CacheInvalidator
}

/** The one entry point every adapter calls. */
export interface Invoker {
  readonly registry: Registry
  /** Run one call through the pipeline. It never rejects: a failure is an outcome. */
  invoke(request: InvokeRequest): Promise<InvokeOutcome>
  /**
   * `invoke` for a transport's hot path: the outcome itself when no step of the call was
   * asynchronous (a synchronous handler, no token to verify, no hook that returned a promise),
   * else a promise of it. `await` it, or test `instanceof Promise`. It spares a request the
   * promise and microtask turn of every layer between the socket and the handler; the HTTP
   * layer uses it, and anything that is not a transport should call `invoke`.
   */
  invokeNow(request: InvokeRequest): InvokeOutcome | Promise<InvokeOutcome>
  /**
   * Call a nested action for many parents at once: one outcome per parent, in order. Each is
   * a full pipeline call; the handler step runs once through the action's `batch` form when
   * it has one (see `runBatchPipeline`).
   */
  invokeBatch(request: InvokeBatchRequest): Promise<InvokeOutcome[]>
  /**
   * Run the checks that precede the handler (token, scopes, params, custom access) without
   * calling it: for calls that run later, such as background jobs. It never throws.
   */
  admit(request: InvokeRequest): Promise<AdmitOutcome>
  /**
   * Verify a raw `Authorization` header for a route that is not an action (`GET /jobs/<id>`):
   * null without a header; rejects with UNAUTHENTICATED for a bad token.
   */
  authenticate(authorizationHeader: string | undefined): Promise<Authorization | null>
}

export function defaultValidateResult(): boolean {
  return process.env['NODE_ENV'] !== 'production'
}

function unknownAction(request: { readonly action: RegisteredAction | string }): ActionError {
  return new ActionError('UNKNOWN_ACTION', `No action is named '${String(request.action)}'`)
}

export function createInvoker(registry: Registry, options: InvokerOptions = {}): Invoker {
  const settings: PipelineSettings = {
    hooks: createHookResolver(options.plugins ?? []),
    validateResult: options.validateResult ?? defaultValidateResult(),
    log: options.log ?? silentLogger,
    authenticator: options.authenticator,
    channels: options.channels,
    cache: createActionCache(
      registry,
      options.cache ?? (options.plugins ?? []).find(isCacheInvalidator),
    ),
  }
  const find = (action: RegisteredAction | string) =>
    typeof action === 'string' ? registry.get(action) : action
  const invokeNow = (request: InvokeRequest): InvokeOutcome | Promise<InvokeOutcome> => {
    const action = find(request.action)
    if (action === undefined) return { ok: false, error: unknownAction(request) }
    return runPipeline(action, request, settings)
  }
  return {
    registry,
    invoke(request) {
      const answer = invokeNow(request)
      return answer instanceof Promise ? answer : Promise.resolve(answer)
    },
    invokeNow,
    invokeBatch(request) {
      const action = find(request.action)
      if (action === undefined) {
        const error = unknownAction(request)
        return Promise.resolve(request.parents.map(() => ({ ok: false as const, error })))
      }
      return runBatchPipeline(action, request, settings)
    },
    admit(request) {
      const action = find(request.action)
      if (action === undefined) return Promise.resolve({ ok: false, error: unknownAction(request) })
      return admitCall(action, request, settings)
    },
    async authenticate(authorizationHeader) {
      if (authorizationHeader === undefined) return null
      try {
        return await authenticate(settings.authenticator, authorizationHeader)
      } catch (thrown) {
        throw toActionError(thrown)
      }
    },
  }
}
