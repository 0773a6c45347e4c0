import { action } from '@servey/core'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startScheduler, type Scheduler } from '../create-scheduler.ts'
import { eventually, invokerFor, sleep } from '../test-support/fixtures.ts'
import { PROCESS_START_TIMEOUT_MS } from '@servey/testing'
import { deleteKeys, describeRedis, REDIS_URL, uniquePrefix } from '@servey/testing/redis'
import { spawnWorker, stopWorker, type WorkerProcess } from '../test-support/spawn-worker.ts'
import { LOCK_DURATION_MS, STALLED_INTERVAL_MS } from '../test-support/worker-timing.ts'

// Each test spawns workers (up to PROCESS_START_TIMEOUT_MS to be ready), then runs 30 s at most.
const TEST_TIMEOUT_MS = PROCESS_START_TIMEOUT_MS + 30_000

describeRedis('BullMQ across processes', () => {
  const prefix = uniquePrefix()
  let redis: Redis
  const workers: WorkerProcess[] = []
  let api: Scheduler | undefined

  beforeAll(() => {
    redis = new Redis(REDIS_URL)
  })
  afterAll(async () => {
    await Promise.all(workers.map((worker) => stopWorker(worker)))
    await api?.close()
    await deleteKeys(redis, prefix)
    await redis.quit()
  })

  it(
    'runs each tick of every(500ms) exactly once across 3 processes (20 ticks)',
    { timeout: TEST_TIMEOUT_MS },
    async () => {
      const env = { REDIS_URL, PREFIX: prefix, QUEUE: 'ticks', SCENARIO: 'ticks' }
      workers.push(...(await Promise.all([spawnWorker(env), spawnWorker(env), spawnWorker(env)])))
      const ticks = await eventually(async () => {
        const all = await redis.lrange(`${prefix}:ticks`, 0, -1)
        return all.length >= 20 ? all : undefined
      }, 20_000)
      const ids = ticks.map((entry) => entry.split('|')[0]!)
      expect(new Set(ids).size).toBe(ids.length)
      // One job per slot of the rate: no two runs of the same instant under different ids.
      const times = ids.map((id) => Number(id.split(':').at(-1))).sort((a, b) => a - b)
      for (let index = 1; index < times.length; index++) {
        expect(times[index]! - times[index - 1]!).toBeGreaterThanOrEqual(500)
      }
      await Promise.all(workers.splice(0).map((worker) => stopWorker(worker)))
    },
  )

  it(
    'SIGTERM lets a worker finish its running job before it exits',
    { timeout: TEST_TIMEOUT_MS },
    async () => {
      const env = { REDIS_URL, PREFIX: prefix, QUEUE: 'graceful', SCENARIO: 'slow' }
      const worker = await spawnWorker(env)
      workers.push(worker)
      const slow_job = action({}, function slow_job() {})
      const enqueuer = await startScheduler({
        invoker: invokerFor({ slow_job }),
        redisUrl: REDIS_URL,
        prefix,
        queue: 'graceful',
        role: 'api',
      })
      try {
        const id = await enqueuer.jobs.enqueue({
          action: 'slow_job',
          params: {},
          authorization: null,
        })
        await eventually(
          async () => ((await redis.llen(`${prefix}:started`)) > 0 ? true : undefined),
          10_000,
        )
        const exited = new Promise<number | null>((resolve) => worker.child.once('exit', resolve))
        worker.child.kill('SIGTERM')
        expect(await exited).toBe(0)
        expect(await redis.lrange(`${prefix}:completed`, 0, -1)).toEqual([
          `${id}|${worker.child.pid}`,
        ])
        expect((await enqueuer.jobs.get(id))?.status).toBe('succeeded')
      } finally {
        await enqueuer.close()
        await redis.del(`${prefix}:started`, `${prefix}:completed`)
      }
    },
  )

  it(
    'a job whose worker is killed with SIGKILL runs again on another worker, and completes once',
    { timeout: TEST_TIMEOUT_MS },
    async () => {
      const env = { REDIS_URL, PREFIX: prefix, QUEUE: 'slow', SCENARIO: 'slow' }
      workers.push(...(await Promise.all([spawnWorker(env), spawnWorker(env)])))
      const slow_job = action({}, function slow_job() {})
      api = await startScheduler({
        invoker: invokerFor({ slow_job }),
        redisUrl: REDIS_URL,
        prefix,
        queue: 'slow',
        role: 'api',
      })
      const id = await api.jobs.enqueue({ action: 'slow_job', params: {}, authorization: null })
      const firstPid = await eventually(
        async () => (await redis.lindex(`${prefix}:started`, 0)) ?? undefined,
        10_000,
      )
      const victim = workers.find((worker) => String(worker.child.pid) === firstPid)
      expect(victim).toBeDefined()
      victim!.child.kill('SIGKILL')
      const killedAt = Date.now()
      const handedOnAfter = await eventually(async () => {
        const second = await redis.lindex(`${prefix}:started`, 1)
        return second === null ? undefined : Date.now() - killedAt
      }, 20_000)
      // The lock was renewed at most half a lock ago, so it cannot be handed on sooner; two
      // stalled-job checks must see it once it has expired (docs/reference/scheduler.md), plus
      // slack for a loaded machine's timers.
      expect(handedOnAfter).toBeGreaterThanOrEqual(LOCK_DURATION_MS / 2 - 100)
      expect(handedOnAfter).toBeLessThan(LOCK_DURATION_MS + 2 * STALLED_INTERVAL_MS + 4000)
      const done = await eventually(async () => {
        const state = await api!.jobs.get(id)
        return state?.status === 'succeeded' ? state : undefined
      }, 20_000)
      expect(String(done.result)).not.toBe(firstPid)
      await sleep(300)
      const completed = await redis.lrange(`${prefix}:completed`, 0, -1)
      expect(completed).toHaveLength(1)
      expect(completed[0]).toBe(`${id}|${String(done.result)}`)
    },
  )
})
