import type { WebhookDelivery } from '@servey/core'
import {
  DELIVERY_DEFAULTS,
  type DeliveryExtras,
  type DeliverySettings,
  type DeliveryTarget,
} from './deliver.ts'

/** The headers a receiver gets besides the signature: which channel, which event. */
export const CHANNEL_HEADER = 'servey-channel'
export const EVENT_ID_HEADER = 'servey-event-id'

/** A webhook handler's call, ready for `attemptDelivery` or `deliverWithRetries`. */
export interface ChannelWebhook {
  readonly target: DeliveryTarget
  /** The event as JSON: the exact text that is signed and sent. */
  readonly body: string
  /** The app's key and SSRF rules, with the handler's timeout, attempts and backoff. */
  readonly settings: Required<DeliverySettings>
  readonly extras: DeliveryExtras
}

/**
 * What a webhook handler sends, wherever it is sent from (a server process, a worker, an SQS
 * consumer on Lambda): the event as the JSON body of a POST, the handler's headers plus the
 * channel and event id, and the handler's retry settings over the app's defaults.
 */
export function channelWebhook(
  delivery: WebhookDelivery,
  defaults: DeliverySettings,
): ChannelWebhook {
  const { envelope } = delivery
  return {
    target: { url: delivery.url, method: 'POST' },
    body: JSON.stringify(envelope.event),
    settings: {
      secret: defaults.secret,
      policy: defaults.policy,
      timeoutMs: delivery.timeoutMs ?? defaults.timeoutMs ?? DELIVERY_DEFAULTS.timeoutMs,
      attempts: delivery.attempts ?? defaults.attempts ?? DELIVERY_DEFAULTS.attempts,
      backoffMs: delivery.backoffMs ?? defaults.backoffMs ?? DELIVERY_DEFAULTS.backoffMs,
    },
    extras: {
      what: 'webhook',
      headers: {
        ...delivery.headers,
        [CHANNEL_HEADER]: envelope.channel,
        [EVENT_ID_HEADER]: envelope.id,
      },
    },
  }
}
