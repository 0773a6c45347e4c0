import { ActionError, toProblem, type Logger } from '@servey/core/adapter'
import type { CallbackUrlPolicy } from '@servey/core'
import { attemptOf, waitBeforeRetry, type RecordPlan, type SqsRecord } from './sqs-record.ts'
import type { SendTarget } from './send-jobs.ts'
import type { WebhookMessage } from './webhook-message.ts'

/** What the consumer signs and checks webhook deliveries with. */
export interface WebhookConsumerSettings {
  /**
   * `SERVEY_CALLBACK_SECRET`. Required on Lambda: a key made up per container (as a server
   * does per start) would sign what no receiver can verify, so without it nothing is sent.
   */
  readonly secret: string | undefined
  /** The SSRF rules (`SERVEY_CALLBACK_ALLOWED_HOSTS`), applied when connecting. */
  readonly policy: CallbackUrlPolicy
}

export interface WebhookConsumerTarget {
  readonly log: Logger
  readonly deadLetterQueue: SendTarget | undefined
  readonly webhooks: WebhookConsumerSettings
}

/**
 * One receipt of a webhook message is one attempt (`attemptDelivery`, signed, SSRF-pinned):
 * delivered, the record is done; a retryable failure with tries left waits out the handler's
 * backoff as the record's visibility timeout and is reported in `batchItemFailures`, so SQS
 * delivers it again; a final failure (the last try, a refused address, no signing key) is
 * logged and sent with its problem to the dead-letter queue, where an operator can redrive it.
 * `@servey/webhooks` is loaded on the first webhook, so functions that never deliver one do
 * not pay for it at init.
 */
export async function planWebhookRecord(
  record: SqsRecord,
  message: WebhookMessage,
  target: WebhookConsumerTarget,
): Promise<RecordPlan> {
  const plan: RecordPlan = { retry: false, sends: [] }
  const { delivery } = message
  const attempt = attemptOf(record, message.attempt)
  const log = target.log.child({
    channel: delivery.envelope.channel,
    event: delivery.envelope.id,
    webhook: message.id,
    attempt,
  })
  const { secret, policy } = target.webhooks
  let failure: ActionError
  if (secret === undefined || secret === '') {
    failure = new ActionError(
      'UNAVAILABLE',
      'SERVEY_CALLBACK_SECRET is not set: a webhook signed with a key made up by this container could not be verified by its receiver',
      { retryable: false },
    )
    log.error({ code: failure.code, url: delivery.url }, 'webhook not sent')
  } else {
    const webhooks = await import('@servey/webhooks')
    const webhook = webhooks.channelWebhook(delivery, { secret, policy })
    const outcome = await webhooks.attemptDelivery(
      webhook.target,
      webhook.body,
      webhook.settings,
      webhook.extras,
    )
    if (outcome.ok) return plan
    if (outcome.status === undefined) {
      log.warn(
        { url: delivery.url, code: outcome.error.code, err: outcome.error.cause ?? outcome.error },
        'webhook delivery failed',
      )
    } else {
      log.warn({ url: delivery.url, status: outcome.status }, 'webhook refused by the receiver')
    }
    if (outcome.retryable && attempt < webhook.settings.attempts) {
      const backoffMs = webhooks.retryDelayMs(webhook.settings.backoffMs, attempt)
      await waitBeforeRetry(record, Math.ceil(backoffMs / 1000), log)
      plan.retry = true
      return plan
    }
    failure = outcome.error
    log.error(
      { code: failure.code, url: delivery.url, attempts: attempt },
      outcome.retryable ? 'webhook not delivered' : 'webhook refused',
    )
  }
  if (target.deadLetterQueue !== undefined) {
    plan.sends.push({
      to: 'dlq',
      message: {
        body: JSON.stringify({
          ...message,
          attempt,
          failure: toProblem(failure, { requestId: message.id }),
        }),
        delaySeconds: 0,
        label: `the undelivered webhook ${message.id}`,
      },
    })
  }
  return plan
}
