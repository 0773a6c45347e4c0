import { randomUUID } from 'node:crypto'
import type { ActionContext, Authorization } from '../action/context.ts'
import type { Logger } from '../log/logger.ts'
import type { Trigger } from '../trigger/trigger.ts'

/**
 * The handler context. The AbortController is created only when a handler reads `signal`:
 * most handlers never do, and creating one per call is measurable on a hot route.
 */
export class InvocationContext implements ActionContext {
  readonly action: string
  readonly log: Logger
  readonly trigger: Trigger
  /** For a nested action: the object it is a field of. */
  readonly parent: unknown
  #authorization: Authorization | null
  #requestId: string | undefined
  #controller: AbortController | undefined
  #abortReason: unknown

  constructor(
    action: string,
    authorization: Authorization | null,
    log: Logger,
    trigger: Trigger,
    requestId: string | undefined,
    parent?: unknown,
  ) {
    this.action = action
    this.#authorization = authorization
    this.log = log
    this.trigger = trigger
    this.#requestId = requestId
    this.parent = parent
  }

  get authorization(): Authorization | null {
    return this.#authorization
  }

  /** Set once by the pipeline, after the token is verified and before the handler runs. */
  authorize(authorization: Authorization | null): void {
    this.#authorization = authorization
  }

  get requestId(): string {
    return (this.#requestId ??= randomUUID())
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController()
      if (this.#abortReason !== undefined) this.#controller.abort(this.#abortReason)
    }
    return this.#controller.signal
  }

  abort(reason: unknown): void {
    if (this.#abortReason !== undefined) return
    this.#abortReason = reason
    this.#controller?.abort(reason)
  }
}
