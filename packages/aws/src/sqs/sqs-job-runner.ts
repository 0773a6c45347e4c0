import type { JobRequest, JobRunner } from '@servey/core/adapter'
import { encodeRequest } from './job-message.ts'
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  messageOf,
  outgoingJob,
  sendMessages,
  type SendTarget,
} from './send-jobs.ts'

export interface SqsJobRunnerOptions {
  /** The queue's URL (`SERVEY_JOBS_QUEUE_URL`, set by `servey sls`). */
  readonly queueUrl: string
  /** Default 256 KiB, which every queue accepts; up to 1 MiB for a queue set so. */
  readonly maxMessageBytes?: number
}

export interface SqsJobRunner extends JobRunner {
  readonly target: SendTarget
}

/**
 * Core's job port on Amazon SQS: each enqueued job (a channel's chain of handler jobs, or a
 * `Prefer: respond-async` call) becomes one message, which the function with the queue's
 * `sqs` event runs. SQS keeps no job state to look up, so `get` and `cancel` know no job.
 */
export function createSqsJobRunner(options: SqsJobRunnerOptions): SqsJobRunner {
  const target: SendTarget = {
    queueUrl: options.queueUrl,
    maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
  }
  return {
    target,
    async enqueue(request: JobRequest): Promise<string> {
      const job = outgoingJob(encodeRequest(request))
      const [failure] = await sendMessages(target, [messageOf(job)])
      if (failure !== undefined) throw failure
      return job.message.id
    },
    get: () => Promise.resolve(undefined),
    cancel: () => Promise.resolve(undefined),
  }
}
