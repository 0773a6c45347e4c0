import { action, Type } from '@servey/core'
import { afterEach, describe, expect, it } from 'vitest'
import { startScheduler, type Scheduler } from './create-scheduler.ts'
import { eventually, invokerFor, recordingLogger } from './test-support/fixtures.ts'

describe('the job payload limit', () => {
  const open: Scheduler[] = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map((scheduler) => scheduler.close()))
  })

  const echo = action(
    { params: Type.Object({ text: Type.String() }), result: Type.Number() },
    function echo({ text }) {
      return text.length
    },
  )

  it('refuses a job over maxJobPayload with JOB_PAYLOAD_TOO_LARGE (413), and takes one under it', async () => {
    const scheduler = await startScheduler({
      invoker: invokerFor({ echo }),
      log: recordingLogger(),
      redisUrl: '',
      maxJobPayload: 1000,
    })
    open.push(scheduler)
    const refused = scheduler.jobs.enqueue({
      action: 'echo',
      params: { text: 'x'.repeat(1000) },
      authorization: null,
    })
    await expect(refused).rejects.toMatchObject({
      code: 'JOB_PAYLOAD_TOO_LARGE',
      status: 413,
      message: expect.stringMatching(/^The job's payload is \d+ bytes, over the limit of 1000$/),
    })
    const id = await scheduler.jobs.enqueue({
      action: 'echo',
      params: { text: 'x'.repeat(900) },
      authorization: null,
    })
    const done = await eventually(async () => {
      const state = await scheduler.jobs.get(id)
      return state?.finishedAt === undefined ? undefined : state
    })
    expect(done).toMatchObject({ status: 'succeeded', result: 900 })
  })

  it('counts the later links of a chain, which the job stores too', async () => {
    const scheduler = await startScheduler({
      invoker: invokerFor({ echo }),
      log: recordingLogger(),
      redisUrl: '',
      maxJobPayload: 1000,
    })
    open.push(scheduler)
    const link = { action: 'echo', params: { text: 'x'.repeat(600) }, authorization: null }
    await expect(scheduler.jobs.enqueue({ ...link, next: link })).rejects.toMatchObject({
      code: 'JOB_PAYLOAD_TOO_LARGE',
    })
  })
})
