import { Queue } from 'bullmq'
import { expect, it } from 'vitest'
import { describeRedis, REDIS_URL } from '@servey/testing/redis'
import {
  echoJob,
  expectPayloadRefused,
  runToEnd,
  startWithPayloadLimit,
} from '../test-support/payload-limit.ts'
import { useRedisSuite } from '../test-support/redis-suite.ts'

// On Redis the limit is BullMQ's `sizeLimit`, checked on the JSON BullMQ writes anyway; this
// proves it answers as the in-process runner's measure does (job-payload-limit.test.ts).
describeRedis('the job payload limit on Redis (BullMQ)', () => {
  const { prefix, open } = useRedisSuite('payload')

  async function start(queue: string) {
    const scheduler = await startWithPayloadLimit({ redisUrl: REDIS_URL, prefix, queue })
    open.push(scheduler)
    return scheduler
  }

  it('refuses a job over maxJobPayload with JOB_PAYLOAD_TOO_LARGE (413), stores nothing, and runs one under it', async () => {
    const scheduler = await start('limit')
    await expectPayloadRefused(scheduler.jobs.enqueue(echoJob(1000)))
    const counts = new Queue('limit', { connection: { url: REDIS_URL }, prefix })
    open.push(counts)
    expect(await counts.getJobCountByTypes('waiting', 'delayed', 'active')).toBe(0)
    expect(await runToEnd(scheduler, echoJob(900))).toMatchObject({
      status: 'succeeded',
      result: 900,
    })
  })

  it('serializes a job once: the limit is measured on the JSON written to Redis', async () => {
    const scheduler = await start('once')
    let serialized = 0
    const counted = {
      toJSON() {
        serialized++
        return 'x'.repeat(10)
      },
    }
    await scheduler.jobs.enqueue({
      action: 'echo',
      params: { text: 'x', counted },
      authorization: null,
    })
    expect(serialized).toBe(1)
  })

  it('counts the later links of a chain, which the job stores too', async () => {
    const scheduler = await start('chain')
    const link = echoJob(600)
    await expectPayloadRefused(scheduler.jobs.enqueue({ ...link, next: link }))
  })
})
