import { afterEach, describe, expect, it } from 'vitest'
import type { Scheduler } from './create-scheduler.ts'
import {
  echoJob,
  expectPayloadRefused,
  runToEnd,
  startWithPayloadLimit,
} from './test-support/payload-limit.ts'

describe('the job payload limit', () => {
  const open: Scheduler[] = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map((scheduler) => scheduler.close()))
  })

  async function start(): Promise<Scheduler> {
    const scheduler = await startWithPayloadLimit({ redisUrl: '' })
    open.push(scheduler)
    return scheduler
  }

  it('refuses a job over maxJobPayload with JOB_PAYLOAD_TOO_LARGE (413), and takes one under it', async () => {
    const scheduler = await start()
    await expectPayloadRefused(scheduler.jobs.enqueue(echoJob(1000)))
    expect(await runToEnd(scheduler, echoJob(900))).toMatchObject({
      status: 'succeeded',
      result: 900,
    })
  })

  it('counts the later links of a chain, which the job stores too', async () => {
    const scheduler = await start()
    const link = echoJob(600)
    await expectPayloadRefused(scheduler.jobs.enqueue({ ...link, next: link }))
  })
})
