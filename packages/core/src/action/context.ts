import type { Logger } from '../log/logger.ts'
import type { Trigger } from '../trigger/trigger.ts'
import type { Static, TSchema } from 'typebox'
import type { Channel, ChannelEnvelope } from '../channel/channel.ts'

/**
 * Who is calling. `null` on the context means anonymous. The security layer fills it from a
 * verified token; in-process callers may pass one directly.
 */
export interface Authorization {
  /** The `sub` claim; null for a system caller such as a schedule. */
  readonly subject: string | null
  readonly scopes: readonly string[]
  readonly notBefore?: Date
  readonly expiresAt?: Date
  /** Every claim of the token, for app-specific checks. */
  readonly claims: Readonly<Record<string, unknown>>
}

/** The second argument of every handler. */
export interface ActionContext {
  /** The action's canonical snake_case name. */
  readonly action: string
  readonly authorization: Authorization | null
  /** Fires when the call times out or its caller goes away; pass it to fetch, db drivers... */
  readonly signal: AbortSignal
  readonly log: Logger
  /** The trigger that fired this call (a web route, a schedule, `{ kind: 'direct' }`, ...). */
  readonly trigger: Trigger
  readonly requestId: string
  /**
   * Publish an event to a channel, whatever triggered this call: validated against the
   * channel's payload schema (`INVALID_EVENT` otherwise), then fanned out to its subscribers.
   * Resolves to the envelope with the event's id. `to` sends it to one connection only.
   */
  publish<TPayload extends TSchema>(
    channel: Channel<TPayload>,
    event: Static<TPayload>,
    options?: { readonly to?: string | undefined },
  ): Promise<ChannelEnvelope<Static<TPayload>>>
}
