import {
  createChannelHub,
  type ChannelBackend,
  type ChannelHub,
  type JobRunner,
  type Logger,
  type Registry,
} from '@servey/core'

export interface LambdaChannelHubOptions {
  readonly log: Logger
  /** Background-action handlers are enqueued here: jobs on SQS. */
  readonly jobs: JobRunner | undefined
  /** Where events go: websocket subscribers in DynamoDB (lambda-websocket.ts). Default none. */
  readonly backend?: ChannelBackend
}

/**
 * The hub a function publishes through, made only when the app declares channels. Its
 * handlers are chosen by core at publish (groups, filters, stop) and their chain of jobs goes
 * to SQS; without a queue, a publish that selects a background action fails with UNAVAILABLE
 * before any subscriber sees the event, as on a server without a job runner.
 */
export function createLambdaChannelHub(
  registry: Registry,
  options: LambdaChannelHubOptions,
): ChannelHub | undefined {
  if (registry.channels.length === 0) return undefined
  return createChannelHub(registry, {
    log: options.log,
    ...(options.backend === undefined ? {} : { backend: options.backend }),
    ...(options.jobs === undefined ? {} : { handlers: { jobs: options.jobs } }),
  })
}
