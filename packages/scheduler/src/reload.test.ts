import { action, Type } from '@servey/core'
import { Redis } from 'ioredis'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { deleteKeys, describeRedis, REDIS_URL, uniquePrefix } from '@servey/testing/redis'
import { startScheduler, type Scheduler } from './create-scheduler.ts'
import { every } from './schedule-trigger.ts'
import { eventually, invokerFor, recordingLogger } from './test-support/fixtures.ts'

/**
 * Version `label` of an app: a schedule that records which version ticked, and a job that
 * waits for `gate` (if given) before answering with its version.
 */
function app(label: string, ticks: string[], gate?: Promise<void>) {
  const tick = action({ triggers: [every(30)] }, function tick() {
    ticks.push(label)
  })
  const version = action({ result: Type.String() }, async function version() {
    await gate
    return label
  })
  return invokerFor({ tick, version })
}

async function reloadsCleanly(start: (first: ReturnType<typeof app>) => Promise<Scheduler>) {
  const ticks: string[] = []
  let release: () => void = () => undefined
  const gate = new Promise<void>((resolve) => (release = resolve))
  const scheduler = await start(app('old', ticks, gate))
  await eventually(() => (ticks.includes('old') ? true : undefined))
  const before = await scheduler.jobs.enqueue({
    action: 'version',
    params: {},
    authorization: null,
  })
  await eventually(async () =>
    (await scheduler.jobs.get(before))?.status === 'running' ? true : undefined,
  )

  await scheduler.reload(app('new', ticks))
  const at = ticks.length
  await eventually(() => (ticks.slice(at).includes('new') ? true : undefined))
  const after = await scheduler.jobs.enqueue({ action: 'version', params: {}, authorization: null })
  const finished = (id: string) =>
    eventually(async () => {
      const state = await scheduler.jobs.get(id)
      return state?.status === 'succeeded' ? state.result : undefined
    })
  expect(await finished(after)).toBe('new')
  // The job accepted before the reload is still running the old code, and finishes on it.
  expect((await scheduler.jobs.get(before))?.status).toBe('running')
  release()
  expect(await finished(before)).toBe('old')
  // Only the new version ticks once the old timers are stopped.
  const settled = ticks.length
  await eventually(() => (ticks.length >= settled + 3 ? true : undefined))
  expect(ticks.slice(settled + 1)).not.toContain('old')
  return scheduler
}

describe('Scheduler.reload, in process', () => {
  let scheduler: Scheduler | undefined
  afterEach(async () => scheduler?.close())

  it('restarts schedules and new jobs on the new code; running jobs finish on the old', async () => {
    scheduler = await reloadsCleanly((invoker) =>
      startScheduler({ invoker, redisUrl: '', log: recordingLogger() }),
    )
    expect(scheduler.mode).toBe('in-process')
  })
})

describeRedis('Scheduler.reload, on Redis', () => {
  const prefix = uniquePrefix()
  let scheduler: Scheduler | undefined
  afterAll(async () => {
    await scheduler?.close()
    const redis = new Redis(REDIS_URL)
    await deleteKeys(redis, prefix)
    await redis.quit()
  })

  it('starts a worker on the new code; the old one finishes its active job', async () => {
    scheduler = await reloadsCleanly((invoker) =>
      startScheduler({
        invoker,
        redisUrl: REDIS_URL,
        prefix,
        queue: 'reload',
        log: recordingLogger(),
        shutdownTimeout: 5000,
      }),
    )
    expect(scheduler.mode).toBe('redis')
  }, 20_000)
})
