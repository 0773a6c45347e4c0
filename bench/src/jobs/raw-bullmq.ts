import { Queue, Worker } from 'bullmq'

/** Wall time from the first enqueue to the last job done, and this process's CPU time meanwhile. */
export interface Timing {
  readonly ms: number
  readonly cpuMs: number
}

export interface RunSettings {
  readonly redisUrl: string
  readonly prefix: string
  readonly jobs: number
  readonly concurrency: number
}

/** The job options Servey gives a background call, so both sides store the same thing. */
export const JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600 },
  removeOnFail: { age: 3600 },
} as const

/** The baseline: the same trivial jobs through a bare BullMQ Queue and Worker. */
export async function runRawBullmq(settings: RunSettings): Promise<Timing> {
  const connection = { url: settings.redisUrl, maxRetriesPerRequest: null }
  const queue = new Queue(`raw`, { connection, prefix: settings.prefix })
  let done = 0
  let finish: () => void = () => undefined
  const finished = new Promise<void>((resolve) => (finish = resolve))
  const worker = new Worker(
    'raw',
    async (job) => {
      const { a, b } = job.data as { a: number; b: number }
      if (++done === settings.jobs) finish()
      return a + b
    },
    { connection, prefix: settings.prefix, concurrency: settings.concurrency },
  )
  await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()])
  const started = performance.now()
  const cpu = process.cpuUsage()
  const adds: Promise<unknown>[] = []
  for (let index = 0; index < settings.jobs; index++) {
    adds.push(queue.add('add', { a: index, b: 1 }, { ...JOB_OPTIONS, jobId: crypto.randomUUID() }))
  }
  await Promise.all(adds)
  await finished
  const elapsed = performance.now() - started
  const used = process.cpuUsage(cpu)
  await worker.close()
  await queue.close()
  return { ms: elapsed, cpuMs: (used.user + used.system) / 1000 }
}
