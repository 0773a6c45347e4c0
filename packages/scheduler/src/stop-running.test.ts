import { action, Type } from '@servey/core'
import { Redis } from 'ioredis'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { deleteKeys, describeRedis, REDIS_URL, uniquePrefix } from '@servey/testing/redis'
import { startScheduler, type Scheduler, type SchedulerOptions } from './create-scheduler.ts'
import { every } from './schedule-trigger.ts'
import { eventually, invokerFor, recordingLogger, sleep } from './test-support/fixtures.ts'

/** A schedule that counts its ticks, and a job that answers once `gate` opens. */
function app(ticks: number[], gate: Promise<void>) {
  const tick = action({ triggers: [every(30)] }, function tick() {
    ticks.push(Date.now())
  })
  const add = action(
    { params: Type.Object({ a: Type.Number() }), result: Type.Number() },
    async function add({ a }) {
      await gate
      return a + 1
    },
  )
  return invokerFor({ tick, add })
}

/**
 * Shutdown's first step: stopRunning() ends the ticks and, on Redis, waits for the worker's
 * running job (in process, jobs are this process's own work and close() waits for them); a
 * job accepted afterwards (a request still being answered) is not refused.
 */
async function stopsTicksAndKeepsAccepting(
  start: (invoker: SchedulerOptions['invoker']) => Promise<Scheduler>,
  waitsForRunningJobs: boolean,
): Promise<Scheduler> {
  const ticks: number[] = []
  let release: () => void = () => undefined
  const gate = new Promise<void>((resolve) => (release = resolve))
  const scheduler = await start(app(ticks, gate))
  await eventually(() => (ticks.length >= 2 ? true : undefined))
  const running = await scheduler.jobs.enqueue({
    action: 'add',
    params: { a: 1 },
    authorization: null,
  })
  await eventually(async () =>
    (await scheduler.jobs.get(running))?.status === 'running' ? true : undefined,
  )

  let stopped = false
  const stopping = scheduler.stopRunning().then(() => (stopped = true))
  await sleep(100)
  expect(stopped).toBe(!waitsForRunningJobs)
  release()
  await stopping
  await eventually(async () =>
    (await scheduler.jobs.get(running))?.status === 'succeeded' ? true : undefined,
  )
  // After it, no schedule ticks, however long one waits.
  const count = ticks.length
  await sleep(300)
  expect(ticks.length).toBe(count)
  // Jobs are still accepted until close().
  const later = await scheduler.jobs.enqueue({
    action: 'add',
    params: { a: 2 },
    authorization: null,
  })
  expect((await scheduler.jobs.get(later))?.status).toMatch(/queued|running|succeeded/)
  return scheduler
}

describe('Scheduler.stopRunning, in process', () => {
  let scheduler: Scheduler | undefined
  afterEach(async () => scheduler?.close())

  it('stops the ticks and still accepts (and runs) new jobs', async () => {
    scheduler = await stopsTicksAndKeepsAccepting(
      (invoker) => startScheduler({ invoker, redisUrl: '', log: recordingLogger() }),
      false,
    )
    expect(scheduler.mode).toBe('in-process')
  })
})

describeRedis('Scheduler.stopRunning, on Redis', () => {
  const prefix = uniquePrefix()
  let scheduler: Scheduler | undefined
  afterAll(async () => {
    await scheduler?.close()
    const redis = new Redis(REDIS_URL)
    await deleteKeys(redis, prefix)
    await redis.quit()
  })

  it('stops the worker once its running job is done (no ticks here); new jobs still queue', async () => {
    scheduler = await stopsTicksAndKeepsAccepting(
      (invoker) =>
        startScheduler({
          invoker,
          redisUrl: REDIS_URL,
          prefix,
          queue: 'stop-running',
          log: recordingLogger(),
          shutdownTimeout: 5000,
        }),
      true,
    )
    expect(scheduler.mode).toBe('redis')
  }, 20_000)
})
