import { action, Type } from '@servey/core'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { startScheduler, type Scheduler } from '../create-scheduler.ts'
import { eventually, invokerFor, recordingLogger } from '../test-support/fixtures.ts'
import { deleteKeys, describeRedis, REDIS_URL, uniquePrefix } from '@servey/testing/redis'

// On Redis the limit is BullMQ's `sizeLimit`, checked on the JSON BullMQ writes anyway; this
// proves it answers as the in-process runner's measure does (job-payload-limit.test.ts).
describeRedis('the job payload limit on Redis (BullMQ)', () => {
  const prefix = uniquePrefix('payload')
  let redis: Redis
  const open: Scheduler[] = []
  beforeAll(() => {
    redis = new Redis(REDIS_URL)
  })
  afterEach(async () => {
    await Promise.all(open.splice(0).map((scheduler) => scheduler.close()))
  })
  afterAll(async () => {
    await deleteKeys(redis, prefix)
    await redis.quit()
  })

  const echo = action(
    { params: Type.Object({ text: Type.String() }), result: Type.Number() },
    function echo({ text }) {
      return text.length
    },
  )

  async function start(queue: string): Promise<Scheduler> {
    const scheduler = await startScheduler({
      invoker: invokerFor({ echo }),
      redisUrl: REDIS_URL,
      prefix,
      queue,
      log: recordingLogger(),
      maxJobPayload: 1000,
    })
    open.push(scheduler)
    return scheduler
  }

  it('refuses a job over maxJobPayload with JOB_PAYLOAD_TOO_LARGE (413), stores nothing, and runs one under it', async () => {
    const scheduler = await start('limit')
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
    const counts = new Queue('limit', {
      connection: { url: REDIS_URL },
      prefix,
    })
    try {
      expect(await counts.getJobCountByTypes('waiting', 'delayed', 'active')).toBe(0)
    } finally {
      await counts.close()
    }
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
    const link = { action: 'echo', params: { text: 'x'.repeat(600) }, authorization: null }
    await expect(scheduler.jobs.enqueue({ ...link, next: link })).rejects.toMatchObject({
      code: 'JOB_PAYLOAD_TOO_LARGE',
    })
  })
})
