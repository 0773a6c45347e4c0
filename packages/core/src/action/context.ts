import type { Logger } from '../log/logger.ts'
import type { AnyAction } from './action.ts'
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

/** An action object of this app, or its snake_case name. */
export type AnyActionRef = string | AnyAction

/** `context.cache`: the server-side result cache, as a handler reaches it. */
export interface ActionCache {
  /**
   * Forget the stored results of `action` (an action or its name): all of them, or only those
   * for `params` (validated first, so defaults are filled as the call's were), for every
   * caller. Call it after a write, so the next read is fresh. Does nothing when the server
   * keeps no result cache.
   */
  invalidate(action: AnyActionRef, params?: unknown): Promise<void>
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
  /** The server-side result cache: `invalidate` after a write. See docs/reference/cache.md. */
  readonly cache: ActionCache
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
