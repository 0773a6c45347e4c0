import { ActionError, type JobRequest, type JobRunner } from '@servey/core'

/** The default of `SchedulerOptions.maxJobPayload`: 512 KiB. */
export const DEFAULT_MAX_JOB_PAYLOAD = 512 * 1024

/** JOB_PAYLOAD_TOO_LARGE (413): the same words whichever runner refused the job. */
export function payloadTooLarge(bytes: number, limit: number): ActionError {
  return new ActionError(
    'JOB_PAYLOAD_TOO_LARGE',
    `The job's payload is ${bytes} bytes, over the limit of ${limit}`,
  )
}

/** The UTF-8 length of a value as JSON (0 for what JSON cannot hold). */
export function jsonBytes(value: unknown): number {
  const json = JSON.stringify(value)
  return json === undefined ? 0 : Buffer.byteLength(json)
}

/**
 * A runner that refuses a job over `limit` bytes with JOB_PAYLOAD_TOO_LARGE (413), for the
 * in-process runner, which keeps jobs as structured clones and never writes them as JSON: the
 * measure is its one serialization. It counts the params and the later links of the chain, as
 * JSON bytes. The request body limit bounds what one HTTP call sends, not what a job keeps: a
 * channel handler's params mapping, or an app enqueueing jobs itself, can make more. On Redis
 * BullMQ measures the JSON it writes anyway (its `sizeLimit`; see bullmq-jobs.ts), so the job
 * is not serialized twice there.
 */
export function withPayloadLimit(runner: JobRunner, limit: number): JobRunner {
  return {
    enqueue(request: JobRequest) {
      const bytes = jsonBytes({ params: request.params, next: request.next })
      if (bytes > limit) return Promise.reject(payloadTooLarge(bytes, limit))
      return runner.enqueue(request)
    },
    get: (id) => runner.get(id),
    cancel: (id) => runner.cancel(id),
  }
}
