import { action, Type } from '@servey/core'
import { describeRedis, startPrivateRedis, type PrivateRedis } from '@servey/testing/redis'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startScheduler, type Scheduler } from '../create-scheduler.ts'
import {
  eventually,
  invokerFor,
  recordingLogger,
  retryWhileUnavailable,
  sleep,
} from '../test-support/fixtures.ts'

// A job asked on Redis with an idempotency key is stored once however often it is asked, and
// an enqueue that the connection drops under is given up at once rather than left waiting for
// Redis. A private Redis: the test pauses and cuts every client of the server it uses.
describeRedis('enqueueing with an idempotency key on Redis', () => {
  let redis: PrivateRedis
  let admin: Redis | undefined
  let scheduler: Scheduler | undefined
  const runs: string[] = []

  const record = action(
    { params: Type.Object({ label: Type.String() }) },
    function record({ label }) {
      runs.push(label)
    },
  )
  const alice = { subject: 'alice', scopes: [], claims: {} }

  beforeAll(async () => {
    redis = await startPrivateRedis()
    admin = new Redis(redis.url, { maxRetriesPerRequest: null })
    scheduler = await startScheduler({
      invoker: invokerFor({ record }),
      redisUrl: redis.url,
      prefix: 'idempotent',
      shutdownTimeout: 1000,
      log: recordingLogger(),
    })
  }, 20_000)
  afterAll(async () => {
    await admin?.client('UNPAUSE')
    admin?.disconnect()
    await scheduler?.close()
    await redis?.dispose()
  }, 20_000)

  it('stores one job per key and caller, and refuses the key for other params', async () => {
    const jobs = scheduler!.jobs
    const ask = (label: string, authorization = alice, idempotencyKey = 'order-1') =>
      jobs.enqueue({ action: 'record', params: { label }, authorization, idempotencyKey })
    const first = await ask('one')
    expect(await ask('one')).toBe(first)
    await eventually(() => (runs.includes('one') ? true : undefined))
    // Once it has run too, for as long as the job is kept.
    expect(await ask('one')).toBe(first)
    await expect(ask('two')).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', status: 422 })
    const bob = await ask('one', { subject: 'bob', scopes: [], claims: {} })
    expect(bob).not.toBe(first)
    await eventually(() =>
      runs.filter((label) => label === 'one').length === 2 ? true : undefined,
    )
    await sleep(300)
    expect(runs.filter((label) => label === 'one')).toHaveLength(2)
    expect(runs).not.toContain('two')
    expect((await jobs.get(first))?.status).toBe('succeeded')
  })

  it('watches the connection with one listener however many calls are in flight', async () => {
    const warnings: Error[] = []
    const onWarning = (warning: Error): void => {
      warnings.push(warning)
    }
    process.on('warning', onWarning)
    try {
      const labels = Array.from({ length: 30 }, (_, index) => `many-${index}`)
      await Promise.all(
        labels.map((label) =>
          scheduler!.jobs.enqueue({ action: 'record', params: { label }, authorization: null }),
        ),
      )
      // Node emits its warning on a later tick.
      await sleep(50)
    } finally {
      process.off('warning', onWarning)
    }
    expect(warnings.map((warning) => warning.name)).not.toContain('MaxListenersExceededWarning')
  })

  it(
    'gives up an enqueue the connection drops under, and its retry finds the one job',
    { timeout: 30_000 },
    async () => {
      const jobs = scheduler!.jobs
      const request = {
        action: 'record',
        params: { label: 'caught' },
        authorization: alice,
        idempotencyKey: 'order-2',
      }
      // Writes wait while Redis is paused: the job is on its way when the connection drops.
      await admin!.client('PAUSE', 4000, 'WRITE')
      const askedAt = Date.now()
      const caught = jobs.enqueue(request)
      const outcome = caught.then(
        () => 'stored',
        (error: { code?: string }) => error.code,
      )
      await sleep(300)
      await admin!.client('KILL', 'TYPE', 'normal', 'SKIPME', 'yes')
      // Refused at once, long before Redis would have answered (the pause lasts 4 s).
      expect(await outcome).toBe('UNAVAILABLE')
      expect(Date.now() - askedAt).toBeLessThan(3000)

      // A client retries until it is answered: the connection has to come back first.
      const id = await retryWhileUnavailable(() => jobs.enqueue(request), 15_000)
      await eventually(() => (runs.includes('caught') ? true : undefined), 15_000)
      // ioredis sent the first add again when it reconnected: still one job, run once.
      await sleep(1000)
      expect(runs.filter((label) => label === 'caught')).toHaveLength(1)
      expect((await jobs.get(id))?.status).toBe('succeeded')
    },
  )
})
