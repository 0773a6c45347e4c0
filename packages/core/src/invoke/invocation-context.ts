import { randomUUID } from 'node:crypto'
import type { ActionCache, ActionContext, Authorization } from '../action/context.ts'
import type { Logger } from '../log/logger.ts'
import type { Trigger } from '../trigger/trigger.ts'
import type { Static, TSchema } from 'typebox'
import {
  CHANNEL_KEY,
  type AnyChannel,
  type Channel,
  type ChannelEnvelope,
  type ChannelPublisher,
} from '../channel/channel.ts'
import { ActionError } from '../errors/action-error.ts'
import { boundPublisherOf } from '../channel/define-channel.ts'

/** A context made outside an invoker (tests, direct calls): no server cache to invalidate. */
const NO_CACHE: ActionCache = { invalidate: () => Promise.resolve() }

/** By name: the same channel object may reach the app through two module instances. */
function declares(declared: readonly AnyChannel[], channel: AnyChannel): boolean {
  const name = channel[CHANNEL_KEY].name
  return declared.some((item) => item === channel || item[CHANNEL_KEY].name === name)
}

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
  readonly #publisher: ChannelPublisher | undefined
  readonly cache: ActionCache
  readonly #publishes: readonly AnyChannel[] | undefined

  constructor(
    action: string,
    authorization: Authorization | null,
    log: Logger,
    trigger: Trigger,
    requestId: string | undefined,
    parent?: unknown,
    publisher?: ChannelPublisher,
    cache: ActionCache = NO_CACHE,
    publishes?: readonly AnyChannel[],
  ) {
    this.#publishes = publishes
    this.#publisher = publisher
    this.cache = cache
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

  /** The publisher this context publishes through (the invoker's, else the channel's bound hub). */
  get publisher(): ChannelPublisher | undefined {
    return this.#publisher
  }

  publish<TPayload extends TSchema>(
    channel: Channel<TPayload>,
    event: Static<TPayload>,
    publishOptions: { readonly to?: string | undefined } = {},
  ): Promise<ChannelEnvelope<Static<TPayload>>> {
    const declared = this.#publishes
    if (declared !== undefined && !declares(declared, channel)) {
      // A bug in the action, not in the caller's input: masked like INTERNAL for clients.
      return Promise.reject(
        new ActionError(
          'UNDECLARED_CHANNEL',
          `Action ${this.action} publishes to channel ${channel[CHANNEL_KEY].name}, ` +
            `which its publishes option does not list (${declared.map((item) => item[CHANNEL_KEY].name).join(', ') || 'none'})`,
        ),
      )
    }
    const publisher = this.#publisher ?? boundPublisherOf(channel)
    const options = {
      authorization: this.#authorization,
      ...(publishOptions.to === undefined ? {} : { to: publishOptions.to }),
    }
    if (publisher === undefined) return channel.publish(event, options)
    return publisher.publish(channel, event, options) as Promise<ChannelEnvelope<Static<TPayload>>>
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
