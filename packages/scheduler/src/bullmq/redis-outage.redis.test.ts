import { action, Type } from '@servey/core'
import { describeRedis, startPrivateRedis, type PrivateRedis } from '@servey/testing/redis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startScheduler, type Scheduler } from '../create-scheduler.ts'
import { every } from '../schedule-trigger.ts'
import {
  eventually,
  invokerFor,
  recordingLogger,
  retryWhileUnavailable,
  sleep,
} from '../test-support/fixtures.ts'

// Redis goes away under a running scheduler and comes back: what was acknowledged before
// still runs, once; what is asked during the outage is refused at once (never acknowledged
// and then lost), and its retry under an idempotency key runs once; and jobs and schedules
// resume soon after Redis returns.
describeRedis('a Redis outage under a running scheduler', () => {
  let redis: PrivateRedis
  let scheduler: Scheduler | undefined
  const runs: string[] = []
  const ticks: string[] = []
  const log = recordingLogger()

  const record = action(
    { params: Type.Object({ label: Type.String() }) },
    function record({ label }) {
      runs.push(label)
    },
  )
  const beat = action({ triggers: [every(300)] }, function beat(_params, context) {
    ticks.push(String((context.trigger as { tick?: string }).tick))
  })

  beforeAll(async () => {
    redis = await startPrivateRedis()
    scheduler = await startScheduler({
      invoker: invokerFor({ record, beat }),
      redisUrl: redis.url,
      prefix: 'outage',
      shutdownTimeout: 1000,
      log,
    })
  }, 20_000)
  afterAll(async () => {
    await redis?.start()
    await scheduler?.close()
    await redis?.dispose()
  }, 20_000)

  it(
    'keeps acknowledged jobs, refuses new ones while down, and resumes within 5 s of its return',
    // Above the sum of the waits below (50 s), so a slow step fails with its own message rather
    // than as a bare test timeout: under a full CI run on a slow host the whole test once took
    // over 40 s, while it takes 4 s alone.
    { timeout: 90_000 },
    async () => {
      const jobs = scheduler!.jobs
      await jobs.enqueue({ action: 'record', params: { label: 'before' }, authorization: null })
      await eventually(() => (runs.includes('before') ? true : undefined))
      // Acknowledged now, due after Redis has gone away.
      const delayed = await jobs.enqueue({
        action: 'record',
        params: { label: 'delayed' },
        authorization: null,
        delayMs: 1500,
      })
      await eventually(() => (ticks.length >= 2 ? true : undefined), 10_000)

      await redis.stop()
      // Asked at once, before the scheduler may have seen the outage: a job caught on its way
      // to Redis is given up when the connection closes, never left waiting for Redis. It may
      // still be stored when Redis returns (the command may have reached it, and ioredis sends
      // it again), so the client retries under the same idempotency key.
      const during = {
        action: 'record',
        params: { label: 'during' },
        authorization: null,
        idempotencyKey: 'during-the-outage',
      }
      const askedAt = Date.now()
      await expect(jobs.enqueue(during)).rejects.toMatchObject({ code: 'UNAVAILABLE' })
      await expect(jobs.get(delayed)).rejects.toMatchObject({ code: 'UNAVAILABLE' })
      // Refused at once, not after the request's own timeout.
      expect(Date.now() - askedAt).toBeLessThan(2000)
      await eventually(
        () => (log.lines.some(({ msg }) => msg?.startsWith('lost Redis')) ? true : undefined),
        10_000,
      )
      await sleep(2000)

      await redis.start()
      const back = Date.now()
      await eventually(() => (runs.includes('delayed') ? true : undefined), 15_000)
      await jobs.enqueue({ action: 'record', params: { label: 'after' }, authorization: null })
      await retryWhileUnavailable(() => jobs.enqueue(during), 10_000)
      await eventually(() => (runs.includes('after') ? true : undefined), 15_000)
      expect(Date.now() - back).toBeLessThan(5000 + 3000)
      const ticksBefore = ticks.length
      await eventually(() => (ticks.length > ticksBefore + 1 ? true : undefined), 10_000)

      expect(runs.filter((label) => label === 'delayed')).toHaveLength(1)
      await eventually(() => (runs.includes('during') ? true : undefined), 10_000)
      await sleep(500)
      expect(runs.filter((label) => label === 'during')).toHaveLength(1)
      expect(new Set(ticks).size).toBe(ticks.length)
      expect((await jobs.get(delayed))?.status).toBe('succeeded')
    },
  )
})
