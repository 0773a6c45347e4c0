import {
  createChannelHub,
  type ChannelBackend,
  type ChannelHub,
  type JobRunner,
  type Logger,
  type Registry,
  type WebhookSender,
} from '@servey/core'

export interface LambdaChannelHubOptions {
  readonly log: Logger
  /** Background-action handlers are enqueued here: jobs on SQS. */
  readonly jobs: JobRunner | undefined
  /** Webhook handlers' deliveries are sent here: messages on the same SQS queue. */
  readonly webhooks: WebhookSender | undefined
  /** Where events go: websocket subscribers in DynamoDB (lambda-websocket.ts). Default none. */
  readonly backend?: ChannelBackend
}

/**
 * The hub a function publishes through, made only when the app declares channels. Its
 * handlers are chosen by core at publish (groups, filters, stop): their chain of jobs, and each
 * webhook delivery, go to SQS. Without a queue, a publish that selects a background action or
 * a webhook fails with UNAVAILABLE before any subscriber sees the event, as on a server
 * without a job runner.
 */
export function createLambdaChannelHub(
  registry: Registry,
  options: LambdaChannelHubOptions,
): ChannelHub | undefined {
  if (registry.channels.length === 0) return undefined
  return createChannelHub(registry, {
    log: options.log,
    ...(options.backend === undefined ? {} : { backend: options.backend }),
    handlers: {
      ...(options.jobs === undefined ? {} : { jobs: options.jobs }),
      ...(options.webhooks === undefined ? {} : { webhooks: options.webhooks }),
    },
  })
}
