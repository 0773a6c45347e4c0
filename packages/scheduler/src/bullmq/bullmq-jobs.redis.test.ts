import { describeRedis, REDIS_URL } from '@servey/testing/redis'
import { Queue, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import { expect, it } from 'vitest'
import { useRedisSuite } from '../test-support/redis-suite.ts'
import { createBullmqJobs } from './bullmq-jobs.ts'
import type { ServeyJobData } from './job-data.ts'

describeRedis('createBullmqJobs on Redis', () => {
  const { prefix, open } = useRedisSuite('jobs-state')

  // Found by CI under load: `get` read the state, then the job, and a worker took the job in
  // between, so a job showing progress 30 was reported `queued`. Here the worker takes it at
  // exactly that moment, every time: BullMQ's manual processing (getNextJob) in a spy on the
  // queue's getJob.
  it('reports a job a worker takes between the two reads as running, with its progress', async () => {
    const connection = { url: REDIS_URL, maxRetriesPerRequest: null }
    const names = { queue: 'taken', prefix }
    const queue = new Queue<ServeyJobData>(names.queue, { connection, prefix })
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: true })
    await redis.connect()
    const worker = new Worker<ServeyJobData>(names.queue, null, {
      connection,
      prefix,
      autorun: false,
    })
    open.push(
      { close: () => worker.close() },
      { close: () => queue.close() },
      { close: async () => void (await redis.quit()) },
    )
    const jobs = createBullmqJobs({
      queue,
      redis,
      names,
      retentionMs: 60_000,
      attempts: 1,
      backoffMs: 20,
      maxPayload: 512 * 1024,
    })
    const id = await jobs.enqueue({ action: 'steps', params: {}, authorization: null })
    expect(await jobs.get(id)).toMatchObject({ status: 'queued', progress: 0 })

    const getJob = queue.getJob.bind(queue)
    let taken = false
    queue.getJob = async (jobId: string) => {
      if (!taken) {
        taken = true
        const job = await worker.getNextJob('test-token')
        await job?.updateProgress(30)
      }
      return getJob(jobId)
    }
    expect(await jobs.get(id)).toMatchObject({ id, status: 'running', progress: 30 })
    expect(taken).toBe(true)
  })
})
