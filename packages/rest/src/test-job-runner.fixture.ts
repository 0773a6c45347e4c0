import {
  toProblem,
  type Invoker,
  type JobRequest,
  type JobRunner,
  type JobState,
} from '@servey/core'

/**
 * The JobRunner port as REST tests need it: records what it was asked to enqueue and runs
 * each job at once through the invoker. The real runners live in @servey/scheduler, which
 * this package must not import; the showcase tests run REST against them.
 */
export function recordingJobRunner(invoker: Invoker): JobRunner & { requests: JobRequest[] } {
  const requests: JobRequest[] = []
  const states = new Map<string, JobState>()
  return {
    requests,
    async enqueue(request) {
      requests.push(request)
      const id = `job-${requests.length}`
      const base = {
        id,
        action: request.action,
        progress: 0,
        subject: request.authorization?.subject ?? null,
        createdAt: new Date().toISOString(),
      }
      states.set(id, { ...base, status: 'running' })
      const outcome = await invoker.invoke({
        action: request.action,
        input: request.params,
        authorization: request.authorization,
      })
      states.set(
        id,
        outcome.ok
          ? { ...base, status: 'succeeded', progress: 100, result: outcome.result }
          : { ...base, status: 'failed', error: toProblem(outcome.error) },
      )
      return id
    },
    get: (id) => Promise.resolve(states.get(id)),
    cancel(id) {
      const state = states.get(id)
      if (state === undefined) return Promise.resolve(undefined)
      const cancelled: JobState = { ...state, status: 'cancelled' }
      states.set(id, cancelled)
      return Promise.resolve(cancelled)
    },
  }
}
