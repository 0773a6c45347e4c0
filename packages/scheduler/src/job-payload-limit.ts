import { ActionError, type JobRequest, type JobRunner } from '@servey/core'

/** The default of `SchedulerOptions.maxJobPayload`: 512 KiB. */
export const DEFAULT_MAX_JOB_PAYLOAD = 512 * 1024

/**
 * The size of what a job stores (in Redis with BullMQ, in memory otherwise): its params and
 * the later links of its chain, as JSON bytes. The request body limit bounds what one HTTP
 * call sends, not what a job keeps: a channel handler's params mapping, or an app enqueueing
 * jobs itself, can make more.
 */
function payloadBytes(request: JobRequest): number {
  const json = JSON.stringify({ params: request.params, next: request.next })
  return json === undefined ? 0 : Buffer.byteLength(json)
}

/** A runner that refuses a job over `limit` bytes with JOB_PAYLOAD_TOO_LARGE (413). */
export function withPayloadLimit(runner: JobRunner, limit: number): JobRunner {
  return {
    enqueue(request) {
      const bytes = payloadBytes(request)
      if (bytes > limit) {
        return Promise.reject(
          new ActionError(
            'JOB_PAYLOAD_TOO_LARGE',
            `The job's payload is ${bytes} bytes, over the limit of ${limit}`,
          ),
        )
      }
      return runner.enqueue(request)
    },
    get: (id) => runner.get(id),
    cancel: (id) => runner.cancel(id),
  }
}
