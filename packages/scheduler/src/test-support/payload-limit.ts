import { action, Type, type JobRequest, type JobState } from '@servey/core'
import { expect } from 'vitest'
import { startScheduler, type Scheduler, type SchedulerOptions } from '../create-scheduler.ts'
import { eventually, invokerFor, recordingLogger } from './fixtures.ts'

/** The payload limit both runners' tests set: a 1,000-character text is over it. */
export const PAYLOAD_LIMIT = 1000

/** Answers its text's length, so a result shows which job ran. */
export const echo = action(
  { params: Type.Object({ text: Type.String() }), result: Type.Number() },
  function echo({ text }) {
    return text.length
  },
)

/** A scheduler serving `echo` with PAYLOAD_LIMIT, in process or on Redis as `options` say. */
export function startWithPayloadLimit(
  options: Omit<SchedulerOptions, 'invoker' | 'maxJobPayload'>,
): Promise<Scheduler> {
  return startScheduler({
    invoker: invokerFor({ echo }),
    log: recordingLogger(),
    maxJobPayload: PAYLOAD_LIMIT,
    ...options,
  })
}

/** An `echo` job whose text has `length` characters. */
export function echoJob(length: number): JobRequest {
  return { action: 'echo', params: { text: 'x'.repeat(length) }, authorization: null }
}

/** Both runners refuse an oversized job alike: 413, with the size and the limit said. */
export async function expectPayloadRefused(enqueued: Promise<string>): Promise<void> {
  await expect(enqueued).rejects.toMatchObject({
    code: 'JOB_PAYLOAD_TOO_LARGE',
    status: 413,
    message: expect.stringMatching(
      new RegExp(`^The job's payload is \\d+ bytes, over the limit of ${PAYLOAD_LIMIT}$`),
    ) as unknown,
  })
}

/** Enqueues a job and waits until it has finished, however it ended. */
export async function runToEnd(scheduler: Scheduler, job: JobRequest): Promise<JobState> {
  const id = await scheduler.jobs.enqueue(job)
  return eventually(async () => {
    const state = await scheduler.jobs.get(id)
    return state?.finishedAt === undefined ? undefined : state
  })
}
