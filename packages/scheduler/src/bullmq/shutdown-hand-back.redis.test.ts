import { action, Type } from '@servey/core'
import { Queue } from 'bullmq'
import { expect, it } from 'vitest'
import { startScheduler, type Scheduler } from '../create-scheduler.ts'
import { eventually, invokerFor, recordingLogger, type LogLine } from '../test-support/fixtures.ts'
import { describeRedis, REDIS_URL } from '@servey/testing/redis'
import { useRedisSuite } from '../test-support/redis-suite.ts'

// Issue 14, point 2: a job still running when SERVEY_SHUTDOWN_TIMEOUT expires goes back to
// the queue, rather than being lost or left active until its lock expires and the stalled-job
// check finds it (lockDuration + up to two stalledIntervals: over a minute by default).
describeRedis('shutdown hands a job still running at the timeout back to the queue', () => {
  const { prefix, open, redis } = useRedisSuite('hand-back')

  it('moves it from active to waiting, uncounted, and the next worker runs it at once', async () => {
    const runs: string[] = []
    // The first run outlives the shutdown timeout and ignores its signal, as a handler in a
    // blocking library call would; the next run is quick.
    const slow = action(
      { params: Type.Object({ n: Type.Number() }), result: Type.String(), timeout: '60s' },
      async function slow({ n }) {
        runs.push(`run ${runs.length + 1}`)
        if (runs.length === 1) await new Promise((resolve) => setTimeout(resolve, 3000).unref())
        return `done ${n}`
      },
    )
    const start = async (lines: LogLine[]): Promise<Scheduler> => {
      const scheduler = await startScheduler({
        invoker: invokerFor({ slow }),
        redisUrl: REDIS_URL,
        prefix,
        queue: 'hand-back',
        log: recordingLogger(lines),
        shutdownTimeout: 300,
      })
      return scheduler
    }
    const firstLog: LogLine[] = []
    const first = await start(firstLog)
    const id = await first.jobs.enqueue({ action: 'slow', params: { n: 7 }, authorization: null })
    await eventually(() => (runs.length === 1 ? true : undefined))

    await first.close()

    const queue = new Queue('hand-back', { connection: { url: REDIS_URL }, prefix })
    open.push(queue)
    // Waiting again, not active (which is where a job left to the stalled-job check stays),
    // and not failed: the interrupted run is not counted as an attempt.
    expect(await queue.getJobState(id)).toBe('waiting')
    const job = await queue.getJob(id)
    expect(job?.attemptsMade).toBe(0)
    expect(await redis().exists(`${prefix}:hand-back:${id}:lock`)).toBe(0)
    expect(
      firstLog.some((line) => /handed back to the queue at shutdown/.test(line.msg ?? '')),
    ).toBe(true)

    // A worker that starts now takes it straight away; its default 30 s lock never expired.
    const second = await start([])
    open.push(second)
    const final = await eventually(async () => {
      const state = await second.jobs.get(id)
      return state?.finishedAt === undefined ? undefined : state
    }, 10_000)
    expect(final).toMatchObject({ status: 'succeeded', result: 'done 7' })
    expect(runs).toEqual(['run 1', 'run 2'])
  }, 30_000)
})
