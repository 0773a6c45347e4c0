import {
  ActionError,
  resolveCallbackHost,
  toActionError,
  type CallbackUrlPolicy,
  type Logger,
  type WebhookDelivery,
  type WebhookSender,
} from '@servey/core'
import { deliverCallback } from '../callbacks/deliver-callback.ts'

export interface WebhookSenderOptions {
  /** The HMAC key of `Servey-Signature` (the callbacks' key: one per app). */
  readonly secret: string
  /** The callbacks' SSRF rules (`SERVEY_CALLBACK_ALLOWED_HOSTS`). */
  readonly policy: CallbackUrlPolicy
  readonly log: Logger
  /** Defaults for handlers that set none: 10 s per attempt, 5 attempts, 1 s first backoff. */
  readonly timeoutMs?: number
  readonly attempts?: number
  readonly backoffMs?: number
}

export interface ClosableWebhookSender extends WebhookSender {
  /** Stop taking deliveries; wait (up to `timeoutMs`) for those in flight, retries included. */
  close(timeoutMs?: number): Promise<void>
}

/** The headers a receiver gets besides the signature: which channel, which event. */
export const CHANNEL_HEADER = 'servey-channel'
export const EVENT_ID_HEADER = 'servey-event-id'

/**
 * Webhook channels over the callbacks' delivery: the event as the JSON body of a POST,
 * `Content-Type: application/json`, signed like a callback, to an address the SSRF rules
 * allow (checked when connecting, so DNS rebinding cannot redirect it), retried with
 * exponential backoff on network errors and non-2xx answers. Deliveries run in this process,
 * after the publish has returned: a failure is logged with its code, never thrown at the
 * publisher.
 */
export function createWebhookSender(options: WebhookSenderOptions): ClosableWebhookSender {
  const pending = new Set<Promise<void>>()
  let closed = false

  const deliver = async (delivery: WebhookDelivery): Promise<void> => {
    const { envelope } = delivery
    const log = options.log.child({ channel: envelope.channel, event: envelope.id })
    try {
      // Refused addresses are a configuration mistake, not a failure to retry: said once.
      await resolveCallbackHost(new URL(delivery.url).hostname, options.policy)
      const delivered = await deliverCallback(
        { url: delivery.url, method: 'POST' },
        envelope.event,
        {
          secret: options.secret,
          policy: options.policy,
          timeoutMs: delivery.timeoutMs ?? options.timeoutMs ?? 10_000,
          attempts: delivery.attempts ?? options.attempts ?? 5,
          backoffMs: delivery.backoffMs ?? options.backoffMs ?? 1000,
        },
        log,
        {
          what: 'webhook',
          headers: {
            ...delivery.headers,
            [CHANNEL_HEADER]: envelope.channel,
            [EVENT_ID_HEADER]: envelope.id,
          },
        },
      )
      if (!delivered) {
        log.error({ code: 'UNAVAILABLE', url: delivery.url }, 'webhook not delivered')
      }
    } catch (error) {
      const coded = toActionError(error)
      log.error({ code: coded.code, url: delivery.url, err: coded }, 'webhook refused')
    }
  }

  return {
    send(delivery) {
      if (closed) {
        return Promise.reject(new ActionError('UNAVAILABLE', 'The server is shutting down'))
      }
      const work = deliver(delivery).finally(() => pending.delete(work))
      pending.add(work)
      return Promise.resolve()
    },
    async close(timeoutMs = 10_000) {
      closed = true
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        Promise.all(pending),
        new Promise((resolve) => {
          timer = setTimeout(resolve, timeoutMs)
        }),
      ])
      clearTimeout(timer)
    },
  }
}
