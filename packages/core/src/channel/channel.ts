import type { Static, TSchema } from 'typebox'
import type { Authorization } from '../action/context.ts'
import type { AccessPolicy } from '../security/access-policy.ts'
import type { ChannelHandler, ChannelHandlerOptions } from './channel-handler.ts'

export const CHANNEL_KEY: unique symbol = Symbol.for('@servey/core/channel') as never

/**
 * Decides, per subscriber and per event, whether to deliver: it sees the event and the
 * subscriber's verified authorization (null for an anonymous subscriber). A filter that throws
 * hides the event from that subscriber (and is logged), it never breaks the fan-out.
 */
export type ChannelFilter<TEvent = unknown> = (
  event: TEvent,
  subscriber: Authorization | null,
) => boolean

export interface ChannelExample<TEvent = unknown> {
  readonly name: string
  readonly event: TEvent
  readonly description?: string
}

export interface ChannelOptions<TPayload extends TSchema> {
  /** The TypeBox schema of every event: checked on publish, typed for publishers. */
  readonly payload: TPayload
  /** Who may subscribe (default: anyone). Checked when a subscription starts. */
  readonly access?: AccessPolicy
  readonly filter?: ChannelFilter<Static<TPayload>>
  readonly description?: string
  readonly examples?: readonly ChannelExample<Static<TPayload>>[]
  /**
   * Subscribers that run on the server: background actions and webhooks, chosen per event by
   * their filters and groups (AsyncAPY's rules: see docs/reference/channel-handlers.md).
   */
  readonly handlers?: readonly ChannelHandlerOptions<Static<TPayload>>[]
}

export interface ChannelDefinition {
  readonly name: string
  readonly payload: TSchema
  readonly access: AccessPolicy
  readonly filter: ChannelFilter | undefined
  readonly description: string | undefined
  readonly examples: readonly ChannelExample[]
  /** Checked at declaration; in declaration order (the order within a group). */
  readonly handlers: readonly ChannelHandler[]
}

/** What subscribers receive, on every transport: `{ channel, id, event }`. */
export interface ChannelEnvelope<TEvent = unknown> {
  readonly channel: string
  /** `<milliseconds>-<sequence>`, ordered within a channel; resume with it (`since`). */
  readonly id: string
  readonly event: TEvent
  /** Set when the event was published to one connection only (`publish(..., { to })`). */
  readonly to?: string
}

export interface PublishOptions {
  /** The publisher's authorization, for handlers whose filters look at it. */
  readonly authorization?: Authorization | null
  /**
   * Deliver to this one connection only (its id is in the `subscribed` frame). Everyone else,
   * and replays to other connections, never see the event.
   */
  readonly to?: string
}

/**
 * The outbound port through which any handler publishes, whatever triggered it. Implemented by
 * core's channel hub (`createChannelHub`), which fans out in process or through a backend such
 * as Redis; transports (websocket, SSE) only subscribe.
 */
export interface ChannelPublisher {
  publish(
    channel: string | AnyChannel,
    event: unknown,
    options?: PublishOptions,
  ): Promise<ChannelEnvelope>
}

/** A declared event channel, as `channel()` returns it. */
export interface Channel<TPayload extends TSchema = TSchema> {
  readonly [CHANNEL_KEY]: ChannelDefinition
  readonly name: string
  /**
   * Publish through the hub that serves this channel in this process (the CLI binds one at
   * start-up; `createChannelHub` binds its registry's channels). The event is validated first:
   * an invalid one rejects with `INVALID_EVENT` and reaches no subscriber.
   */
  publish(
    event: Static<TPayload>,
    options?: PublishOptions,
  ): Promise<ChannelEnvelope<Static<TPayload>>>
}

export type AnyChannel = Channel<TSchema>

export function isChannel(value: unknown): value is AnyChannel {
  return typeof value === 'object' && value !== null && CHANNEL_KEY in value
}
