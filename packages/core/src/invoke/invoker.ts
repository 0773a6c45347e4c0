import { ActionError } from '../errors/action-error.ts'
import { silentLogger, type Logger } from '../log/logger.ts'
import type { Registry } from '../registry/registry.ts'
import { collectHooks, type InvokePlugin } from './hooks.ts'
import type { Authenticator } from '../security/authenticator.ts'
import {
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
}

/** The one entry point every adapter calls. */
export interface Invoker {
  readonly registry: Registry
  invoke(request: InvokeRequest): Promise<InvokeOutcome>
}

export function defaultValidateResult(): boolean {
  return process.env['NODE_ENV'] !== 'production'
}

export function createInvoker(registry: Registry, options: InvokerOptions = {}): Invoker {
  const settings: PipelineSettings = {
    hooks: collectHooks(options.plugins ?? []),
    validateResult: options.validateResult ?? defaultValidateResult(),
    log: options.log ?? silentLogger,
    authenticator: options.authenticator,
  }
  return {
    registry,
    invoke(request) {
      const action =
        typeof request.action === 'string' ? registry.get(request.action) : request.action
      if (action === undefined) {
        const error = new ActionError(
          'UNKNOWN_ACTION',
          `No action is named '${String(request.action)}'`,
        )
        return Promise.resolve({ ok: false, error })
      }
      return runPipeline(action, request, settings)
    },
  }
}
