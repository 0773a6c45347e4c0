import { action, ActionError, Type } from '@servey/core'
import { Queue } from 'bullmq'
import { expect, it } from 'vitest'
import { startScheduler } from '../create-scheduler.ts'
import { cron, every } from '../schedule-trigger.ts'
import { reportProgress } from '../report-progress.ts'
import { eventually, invokerFor, recordingLogger, sleep } from '../test-support/fixtures.ts'
import { describeRedis, REDIS_URL } from '@servey/testing/redis'
import { useRedisSuite } from '../test-support/redis-suite.ts'

describeRedis('startScheduler on Redis (BullMQ)', () => {
  const { prefix, open } = useRedisSuite()

  async function start(actions: Record<string, unknown>, queue: string) {
    const invoker = invokerFor(actions)
    const scheduler = await startScheduler({
      invoker,
      redisUrl: REDIS_URL,
      prefix,
      queue,
      log: recordingLogger(),
      backoff: 20,
      shutdownTimeout: 2000,
    })
    open.push(scheduler)
    return scheduler
  }

  const caller = { subject: 'alice', scopes: [], claims: {} }

  it('runs a job and keeps its result for its owner', async () => {
    const double = action(
      { params: Type.Object({ n: Type.Number() }), result: Type.Number() },
      function double({ n }) {
        return n * 2
      },
    )
    const scheduler = await start({ double }, 'run')
    expect(scheduler.mode).toBe('redis')
    const id = await scheduler.jobs.enqueue({
      action: 'double',
      params: { n: 21 },
      authorization: caller,
    })
    const done = await eventually(async () => {
      const state = await scheduler.jobs.get(id)
      return state?.status === 'succeeded' ? state : undefined
    })
    expect(done).toMatchObject({
      id,
      action: 'double',
      status: 'succeeded',
      result: 42,
      subject: 'alice',
      progress: 100,
    })
    expect(await scheduler.jobs.get('no-such-job')).toBeUndefined()
  })

  it('shows the progress a running job reports', async () => {
    let release: () => void = () => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    const steps = action({}, async function steps(_params, context) {
      await reportProgress(context, 30)
      await gate
      return 'done'
    })
    const scheduler = await start({ steps }, 'progress')
    const id = await scheduler.jobs.enqueue({ action: 'steps', params: {}, authorization: null })
    const running = await eventually(async () => {
      const state = await scheduler.jobs.get(id)
      return state?.progress === 30 ? state : undefined
    })
    expect(running.status).toBe('running')
    release()
    await eventually(async () =>
      (await scheduler.jobs.get(id))?.status === 'succeeded' ? true : undefined,
    )
  })

  it('retries retryable errors with backoff, and never non-retryable ones', async () => {
    let flakyCalls = 0
    let brokenCalls = 0
    const flaky = action({}, function flaky() {
      flakyCalls++
      if (flakyCalls < 3) throw new ActionError('UNAVAILABLE', 'not yet')
      return 'ok'
    })
    const broken = action({}, function broken() {
      brokenCalls++
      throw new ActionError('CONFLICT', 'never works')
    })
    const scheduler = await start({ flaky, broken }, 'retry')
    const flakyId = await scheduler.jobs.enqueue({
      action: 'flaky',
      params: {},
      authorization: null,
    })
    const brokenId = await scheduler.jobs.enqueue({
      action: 'broken',
      params: {},
      authorization: null,
    })
    const flakyDone = await eventually(async () => {
      const state = await scheduler.jobs.get(flakyId)
      return state?.status === 'succeeded' ? state : undefined
    })
    expect(flakyDone.result).toBe('ok')
    expect(flakyCalls).toBe(3)
    const brokenDone = await eventually(async () => {
      const state = await scheduler.jobs.get(brokenId)
      return state?.status === 'failed' ? state : undefined
    })
    expect(brokenDone.error).toMatchObject({ code: 'CONFLICT', status: 409, detail: 'never works' })
    await sleep(200)
    expect(brokenCalls).toBe(1)
  })

  it("cancels a running job: the handler's signal fires", async () => {
    let aborted = false
    const started: string[] = []
    const waiting = action({ timeout: '10s' }, function waiting(_params, context) {
      started.push(context.requestId)
      return new Promise((resolve) => {
        context.signal.addEventListener('abort', () => {
          aborted = true
          resolve('stopped')
        })
      })
    })
    const scheduler = await start({ waiting }, 'cancel')
    const id = await scheduler.jobs.enqueue({ action: 'waiting', params: {}, authorization: null })
    await eventually(() => (started.length > 0 ? true : undefined))
    expect((await scheduler.jobs.cancel(id))?.status).toBe('cancelled')
    await eventually(() => (aborted ? true : undefined))
    const final = await eventually(async () => {
      const state = await scheduler.jobs.get(id)
      return state?.finishedAt !== undefined ? state : undefined
    })
    expect(final).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } })
  })

  it('a queued job cancelled before it starts never runs', async () => {
    let calls = 0
    const later = action({}, function later() {
      calls++
    })
    const invoker = invokerFor({ later })
    // An API-only process: it accepts jobs but runs none.
    const api = await startScheduler({
      invoker,
      redisUrl: REDIS_URL,
      prefix,
      queue: 'cancel-queued',
      role: 'api',
    })
    open.push(api)
    const id = await api.jobs.enqueue({ action: 'later', params: {}, authorization: null })
    expect((await api.jobs.get(id))?.status).toBe('queued')
    expect((await api.jobs.cancel(id))?.status).toBe('cancelled')
    await start({ later }, 'cancel-queued')
    const final = await eventually(async () => {
      const state = await api.jobs.get(id)
      return state?.finishedAt !== undefined ? state : undefined
    })
    expect(final.status).toBe('cancelled')
    expect(calls).toBe(0)
  })

  it('runs schedules as BullMQ job schedulers and removes orphans on start', async () => {
    const queueName = 'schedules'
    const queue = new Queue(queueName, { connection: { url: REDIS_URL }, prefix })
    await queue.upsertJobScheduler(
      'gone#0',
      { every: 60_000 },
      { name: 'gone', data: { kind: 'schedule', action: 'gone', index: 0 } },
    )
    const ticks: string[] = []
    const beat = action(
      { triggers: [every(100, { scopes: ['system'] })] },
      function beat(_params, context) {
        ticks.push((context.trigger as { tick?: string }).tick ?? '')
      },
    )
    const yearly = action(
      { triggers: [cron('0 0 1 1 *', { tz: 'Europe/Paris' })] },
      function yearly() {},
    )
    await start({ beat, yearly }, queueName)
    const schedulers = await queue.getJobSchedulers(0, -1)
    expect(schedulers.map((scheduler) => scheduler.key).sort()).toEqual(['beat#0', 'yearly#0'])
    expect(schedulers.find((scheduler) => scheduler.key === 'beat#0')).toMatchObject({ every: 100 })
    expect(schedulers.find((scheduler) => scheduler.key === 'yearly#0')).toMatchObject({
      pattern: '0 0 1 1 *',
      tz: 'Europe/Paris',
    })
    await eventually(() => (ticks.length >= 3 ? true : undefined))
    expect(new Set(ticks).size).toBe(ticks.length)
    await queue.close()
  })
})
