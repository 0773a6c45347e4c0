import type { WebhookSender } from '@servey/core'
import { sendMessages, type SendTarget } from './send-jobs.ts'
import { webhookMessageOf } from './webhook-message.ts'

/**
 * Core's webhook port on a Lambda function: each delivery a publish selects becomes one message
 * on the jobs queue, sent before the publish resolves (so an event whose webhook could not be
 * queued fails its publisher with a code, as a job does). The queue's consumer makes the call.
 */
export function createSqsWebhookSender(target: SendTarget): WebhookSender {
  return {
    async send(delivery) {
      const message = webhookMessageOf(delivery)
      const [failure] = await sendMessages(target, [
        {
          body: JSON.stringify(message),
          delaySeconds: 0,
          label: `the webhook of channel ${delivery.envelope.channel}`,
        },
      ])
      if (failure !== undefined) throw failure
    },
  }
}
