import {
  ActionError,
  resolveCallbackHost,
  toActionError,
  type Logger,
  type WebhookDelivery,
  type WebhookSender,
} from '@servey/core'
import { deliverWithRetries, type DeliverySettings } from './deliver.ts'
import { channelWebhook } from './channel-webhook.ts'

export interface WebhookSenderOptions extends DeliverySettings {
  readonly log: Logger
  /**
   * Called once per delivery when it has ended: without an error when the receiver took it,
   * else with the coded reason (a refused address, or every attempt failed).
   */
  readonly onSettled?: (delivery: WebhookDelivery, error?: ActionError) => void
}

export interface ClosableWebhookSender extends WebhookSender {
  /** Stop taking deliveries; wait (up to `timeoutMs`) for those in flight, retries included. */
  close(timeoutMs?: number): Promise<void>
  /** Resolves once no delivery is in flight (retries included); deliveries are still taken. */
  idle(): Promise<void>
}

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
    let failure: ActionError | undefined
    try {
      // Refused addresses are a configuration mistake, not a failure to retry: said once.
      await resolveCallbackHost(new URL(delivery.url).hostname, options.policy)
      const webhook = channelWebhook(delivery, options)
      const delivered = await deliverWithRetries(
        webhook.target,
        envelope.event,
        webhook.settings,
        log,
        webhook.extras,
      )
      if (!delivered) {
        log.error({ code: 'UNAVAILABLE', url: delivery.url }, 'webhook not delivered')
        failure = new ActionError(
          'UNAVAILABLE',
          `The webhook of channel ${envelope.channel} was not delivered to ${delivery.url}`,
        )
      }
    } catch (error) {
      failure = toActionError(error)
      log.error({ code: failure.code, url: delivery.url, err: failure }, 'webhook refused')
    }
    options.onSettled?.(delivery, failure)
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
    async idle() {
      while (pending.size > 0) await Promise.all(pending)
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
