import type { CallbackUrlPolicy, Invoker, Logger } from '@servey/core'
import type { ClosableWebhookSender, DeliverySettings } from '@servey/webhooks'
import { Queue, type Worker } from 'bullmq'
import { Redis } from 'ioredis'
import type { Scheduler, SchedulerOptions } from '../create-scheduler.ts'
import { durationOption } from '../duration-option.ts'
import { schedulesOf } from '../schedules-of.ts'
import { createBullmqJobs } from './bullmq-jobs.ts'
import { handBackRunningJobs, startBullmqWorker } from './bullmq-worker.ts'
import type { BullmqNames, ServeyJobData } from './job-data.ts'
import { createOutageLog } from './outage-log.ts'
import { syncSchedules } from './sync-schedules.ts'

/** What `startScheduler` has worked out from its options before it chose Redis. */
export interface RedisSchedulerSettings {
  readonly options: SchedulerOptions
  readonly log: Logger
  readonly role: 'all' | 'api' | 'worker'
  readonly redisUrl: string
  readonly retentionMs: number
  readonly shutdownMs: number
  readonly attempts: number
  readonly backoffMs: number
  readonly maxJobPayload: number
  readonly callbacks: DeliverySettings
  readonly callbackPolicy: CallbackUrlPolicy
  readonly webhooks: ClosableWebhookSender
}

/** How long handing the running jobs back may take once the shutdown timeout has passed. */
const HAND_BACK_GRACE_MS = 5_000

async function withTimeout(work: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const finished = await Promise.race([
    work.then(() => true),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs)
    }),
  ])
  clearTimeout(timer)
  return finished
}

/**
 * The scheduler on Redis: jobs in a BullMQ queue, run by this process's worker (unless its
 * role is `api`), schedules as BullMQ job schedulers. Imported by `startScheduler` only when
 * it has a Redis URL, so that BullMQ and ioredis are never loaded without one.
 */
export async function startRedisScheduler(settings: RedisSchedulerSettings): Promise<Scheduler> {
  const { options, log, webhooks } = settings
  const names: BullmqNames = {
    queue: options.queue ?? 'servey',
    prefix: options.prefix ?? 'servey',
  }
  const connection = { url: settings.redisUrl, maxRetriesPerRequest: null }
  const redis = new Redis(settings.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true })
  const outage = createOutageLog(log)
  outage.watch(redis, 'jobs')
  redis.on('ready', () => outage.recovered())
  await redis.connect()
  const queue = new Queue<ServeyJobData>(names.queue, { connection, prefix: names.prefix })
  outage.watch(queue, 'queue')
  const jobs = createBullmqJobs({
    queue,
    redis,
    names,
    retentionMs: settings.retentionMs,
    attempts: settings.attempts,
    backoffMs: settings.backoffMs,
    maxPayload: settings.maxJobPayload,
  })
  // Each worker has its own subscriber (for cancels): a reload's old worker keeps its own
  // until its last job is done.
  interface Running {
    readonly worker: Worker<ServeyJobData>
    readonly subscriber: Redis
  }
  let running: Running | undefined
  const startWorker = async (invoker: Invoker): Promise<void> => {
    await syncSchedules(
      queue,
      schedulesOf(invoker.registry),
      {
        attempts: settings.attempts,
        backoffMs: settings.backoffMs,
        retentionMs: settings.retentionMs,
      },
      log,
    )
    const subscriber = redis.duplicate()
    outage.watch(subscriber, 'cancels')
    try {
      const worker = await startBullmqWorker({
        invoker,
        log,
        connection,
        names,
        subscriber,
        callbacks: settings.callbacks,
        enqueue: (request) => jobs.enqueue(request),
        outage,
        ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
        lockDurationMs: durationOption(options.lockDuration, 30_000, 'the lock duration'),
        stalledIntervalMs: durationOption(
          options.stalledInterval,
          30_000,
          'the stalled-job check interval',
        ),
      })
      running = { worker, subscriber }
    } catch (error) {
      await subscriber.quit().catch(() => undefined)
      throw error
    }
  }
  // close() stops fetching and waits for the active jobs. Past the timeout each one still
  // running is handed back to the queue (see handBackRunningJobs), which ends its processor
  // and so lets close() finish. (A second close(true) would not help: BullMQ returns the
  // first call's promise.) If Redis cannot take them back in time either, they are left to
  // the stalled-job check, which gives them to another worker.
  const stopWorker = async ({ worker, subscriber }: Running): Promise<void> => {
    const closing = worker.close()
    if (!(await withTimeout(closing, settings.shutdownMs))) {
      handBackRunningJobs(worker)
      if (!(await withTimeout(closing, HAND_BACK_GRACE_MS))) {
        log.warn({}, 'jobs still running after the shutdown timeout: left to the stalled-job check')
      }
    }
    await subscriber.quit().catch(() => undefined)
  }
  try {
    await queue.waitUntilReady()
    if (settings.role !== 'api') await startWorker(options.invoker)
  } catch (error) {
    await Promise.allSettled([queue.close(), redis.quit()])
    await webhooks.close(0)
    throw error
  }
  // Workers replaced by a reload, finishing their active jobs on the old code.
  const stopping: Promise<void>[] = []
  return {
    mode: 'redis',
    jobs,
    callbackPolicy: settings.callbackPolicy,
    webhooks,
    async reload(invoker) {
      if (settings.role === 'api') return
      const previous = running
      await startWorker(invoker)
      if (previous !== undefined) stopping.push(stopWorker(previous))
    },
    idle: () => webhooks.idle(),
    async stopRunning() {
      const stopped = running
      running = undefined
      await Promise.all([...(stopped === undefined ? [] : [stopWorker(stopped)]), ...stopping])
    },
    async close() {
      await webhooks.close(settings.shutdownMs)
      await Promise.all([...(running === undefined ? [] : [stopWorker(running)]), ...stopping])
      await Promise.allSettled([queue.close()])
      await redis.quit().catch(() => undefined)
    },
  }
}
