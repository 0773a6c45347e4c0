import { ActionError } from '@servey/core/adapter'
import { DEFAULT_MAX_MESSAGE_BYTES, type SendTarget } from './send-jobs.ts'

/** Where a function sends jobs and their failures (`servey sls` sets the variables). */
export interface JobQueueSettings {
  /** `SERVEY_JOBS_QUEUE_URL`: the queue background jobs are sent to. */
  readonly queueUrl?: string
  /** `SERVEY_JOBS_DLQ_URL`: failed jobs are sent here with their problem. */
  readonly deadLetterQueueUrl?: string
  /** `SERVEY_JOBS_MAX_MESSAGE_BYTES`: default 256 KiB; at most 1 MiB. */
  readonly maxMessageBytes?: number
}

/** SQS's largest message. */
const MAX_MESSAGE_BYTES = 1_048_576

export interface JobQueues {
  readonly queue: SendTarget | undefined
  readonly deadLetterQueue: SendTarget | undefined
}

export function jobQueueSettingsFromEnv(env: NodeJS.ProcessEnv): JobQueueSettings {
  const bytes = env['SERVEY_JOBS_MAX_MESSAGE_BYTES']
  return {
    ...(env['SERVEY_JOBS_QUEUE_URL'] ? { queueUrl: env['SERVEY_JOBS_QUEUE_URL'] } : {}),
    ...(env['SERVEY_JOBS_DLQ_URL'] ? { deadLetterQueueUrl: env['SERVEY_JOBS_DLQ_URL'] } : {}),
    ...(bytes ? { maxMessageBytes: Number(bytes) } : {}),
  }
}

/** The queues as send targets; a size SQS cannot take fails at start, not at the first send. */
export function jobQueuesOf(settings: JobQueueSettings): JobQueues {
  const maxMessageBytes = settings.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES
  if (
    !Number.isInteger(maxMessageBytes) ||
    maxMessageBytes < 1024 ||
    maxMessageBytes > MAX_MESSAGE_BYTES
  ) {
    throw new ActionError(
      'INTERNAL',
      `SERVEY_JOBS_MAX_MESSAGE_BYTES must be a whole number of bytes from 1024 to ${MAX_MESSAGE_BYTES}`,
    )
  }
  const target = (queueUrl: string | undefined): SendTarget | undefined =>
    queueUrl === undefined ? undefined : { queueUrl, maxMessageBytes }
  return {
    queue: target(settings.queueUrl),
    deadLetterQueue: target(settings.deadLetterQueueUrl),
  }
}
