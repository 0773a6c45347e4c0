import type { Authorization } from '../action/context.ts'
import type { Logger } from '../log/logger.ts'
import {
  checkAccessAfterValidation,
  checkAccessBeforeValidation,
  checkValidity,
} from '../security/check-access.ts'
import type { ChannelEnvelope } from './channel.ts'
import type { RegisteredChannel } from './registered-channel.ts'

/** One subscriber as a fan-out sees it. */
export interface Recipient {
  /** The subscriber's verified authorization when it subscribed (null: anonymous). */
  readonly authorization: Authorization | null
  /** The transport's connection id, compared with an event's `to`. */
  readonly connectionId?: string | undefined
}

/**
 * The channel's filter for one subscriber and one event. A filter that throws hides the event
 * from that subscriber and is logged: one bad subscriber never breaks the fan-out.
 */
export function passesFilter(
  channel: RegisteredChannel,
  envelope: ChannelEnvelope,
  authorization: Authorization | null,
  log?: Logger,
): boolean {
  const filter = channel.definition.filter
  if (filter === undefined) return true
  try {
    return filter(envelope.event, authorization) === true
  } catch (error) {
    log?.error(
      { err: error, channel: envelope.channel, id: envelope.id },
      'channel filter threw; event not delivered to this subscriber',
    )
    return false
  }
}

/**
 * Whether one stored subscriber gets one event, for a fan-out that does not hold live
 * subscriptions (Lambda reads its subscribers from a table): the event's `to`, the channel's
 * access again (the stored authorization may have expired or lost its scope since it
 * subscribed), then the channel's filter. Never throws.
 */
export async function shouldDeliver(
  channel: RegisteredChannel,
  envelope: ChannelEnvelope,
  recipient: Recipient,
  log?: Logger,
  now = Date.now(),
): Promise<boolean> {
  if (envelope.to !== undefined && envelope.to !== recipient.connectionId) return false
  const access = channel.definition.access
  try {
    checkValidity(recipient.authorization, now)
    checkAccessBeforeValidation(access, recipient.authorization)
    await checkAccessAfterValidation(access, recipient.authorization, {})
  } catch {
    return false
  }
  return passesFilter(channel, envelope, recipient.authorization, log)
}
