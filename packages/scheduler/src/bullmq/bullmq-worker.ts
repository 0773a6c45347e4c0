import {
  ActionError,
  isRetryable,
  toProblem,
  type Invoker,
  type JobRequest,
  type Logger,
  type Trigger,
} from '@servey/core'
import { UnrecoverableError, WaitingError, Worker, type ConnectionOptions, type Job } from 'bullmq'
import type { Redis } from 'ioredis'
import { deliverWithRetries, type DeliverySettings } from '@servey/webhooks'
import { callbackBody } from '../callbacks/callback-body.ts'
import { runJob, type JobTrigger } from '../run-job.ts'
import { isScheduleTrigger, type ScheduledRunTrigger } from '../schedule-trigger.ts'
import { systemAuthorization } from '../system-authorization.ts'
import { cancelChannel, encodeProblem, type BullmqNames, type ServeyJobData } from './job-data.ts'
import type { OutageLog } from './outage-log.ts'

export interface BullmqWorkerOptions {
  readonly invoker: Invoker
  readonly log: Logger
  readonly connection: ConnectionOptions
  readonly names: BullmqNames
  /** A dedicated connection: a subscribed ioredis client can do nothing else. */
  readonly subscriber: Redis
  readonly callbacks: DeliverySettings
  /** Enqueues the next link of a finished job's chain (channel handler groups). */
  readonly enqueue: (request: JobRequest) => Promise<string>
  /** Jobs at once in this process. Default 10. */
  readonly concurrency?: number
  /** How long a job's lock lives without renewal: a killed worker's job restarts after it. */
  readonly lockDurationMs?: number
  readonly stalledIntervalMs?: number
  /** Reports the worker's connection errors once per outage. */
  readonly outage: OutageLog
}

/**
 * The abort reason that hands a running job back to the queue: a shutdown past its timeout
 * gives it to {@link handBackRunningJobs}. Any other reason (a user's cancel) ends the job.
 */
const HAND_BACK = 'servey:shutdown'

/**
 * Past the shutdown timeout: abort every job this worker is running, so that each one's
 * processor puts it back in the queue (waiting, at the head) and returns. Another worker, or
 * this one after a restart, runs it again from the start at once, instead of after the lock
 * has expired and the stalled-job check has found it.
 */
export function handBackRunningJobs(worker: Worker<ServeyJobData>): void {
  worker.cancelAllJobs(HAND_BACK)
}

function fail(error: ActionError, requestId: string, final: boolean): Error {
  const reason = encodeProblem(toProblem(error, { requestId }))
  return final ? new UnrecoverableError(reason) : new Error(reason)
}

/**
 * A BullMQ worker that runs every job through `invoker.invoke`. Non-retryable action errors
 * end the job at once (`UnrecoverableError`); retryable ones use the job's backoff.
 */
export async function startBullmqWorker(
  options: BullmqWorkerOptions,
): Promise<Worker<ServeyJobData>> {
  const { invoker, names } = options
  const early = new Set<string>()
  const registry = invoker.registry

  const processor = async (
    job: Job<ServeyJobData>,
    token?: string,
    signal?: AbortSignal,
  ): Promise<unknown> => {
    const id = job.id ?? ''
    const data = job.data
    const requestId = data.kind === 'call' ? (data.requestId ?? id) : id
    const log = options.log.child({ job: id, action: data.action })
    let trigger: Trigger
    let authorization
    let params: unknown
    if (data.kind === 'schedule') {
      const schedule = registry.get(data.action)?.definition.triggers.filter(isScheduleTrigger)[
        data.index
      ]
      if (schedule === undefined) {
        throw fail(
          new ActionError('UNKNOWN_ACTION', `No schedule ${data.action}#${data.index}`),
          requestId,
          true,
        )
      }
      const scheduled: ScheduledRunTrigger = { ...schedule, tick: id }
      trigger = scheduled
      authorization = systemAuthorization(schedule.scopes)
      params = structuredClone(schedule.params)
    } else {
      // A cancel that arrived just before the job started here (no Redis round trip per job:
      // a queued job is removed by cancel() itself).
      if (early.has(id)) {
        throw fail(new ActionError('CANCELLED', 'The job was cancelled'), requestId, true)
      }
      const called: JobTrigger = {
        kind: 'job',
        id,
        progress: (percent) => job.updateProgress(percent),
      }
      trigger = called
      authorization = data.authorization
      params = data.params
    }
    const outcome = await runJob(invoker, {
      action: data.action,
      params,
      authorization,
      trigger,
      signal: signal ?? new AbortController().signal,
      requestId,
      log,
    })
    if (!outcome.ok && signal?.aborted === true && signal.reason === HAND_BACK) {
      // BullMQ's manual retry: release the lock and move the job from active to waiting,
      // then tell the worker not to complete or fail it. Neither its callback nor the next
      // link of its chain is sent: the run that finishes it does that.
      try {
        await job.moveToWait(token)
        log.warn({}, `job ${id} (${data.action}) handed back to the queue at shutdown`)
      } catch (error) {
        log.warn(
          { err: error },
          `job ${id} (${data.action}) could not be handed back at shutdown; the stalled-job check will`,
        )
      }
      throw new WaitingError()
    }
    const final =
      outcome.ok || !isRetryable(outcome.error) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)
    if (data.kind === 'call' && data.callback !== undefined && final) {
      const body = callbackBody(
        data.callback,
        id,
        data.action,
        outcome.ok
          ? { ok: true, result: outcome.result }
          : { ok: false, error: toProblem(outcome.error, { requestId }) },
      )
      await deliverWithRetries(data.callback, body, options.callbacks, log)
    }
    if (data.kind === 'call' && data.next !== undefined && final) {
      // Before this job is marked finished: a crash in between runs the link again (at least
      // once), never skips it.
      await options.enqueue(data.next)
    }
    if (outcome.ok) return outcome.result ?? null
    if (data.kind === 'schedule')
      log.error(
        { code: outcome.error.code, err: outcome.error },
        `scheduled run of ${data.action} failed`,
      )
    throw fail(outcome.error, requestId, !isRetryable(outcome.error))
  }

  const worker = new Worker<ServeyJobData>(names.queue, processor, {
    connection: options.connection,
    prefix: names.prefix,
    concurrency: options.concurrency ?? 10,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    autorun: false,
  })
  options.outage.watch(worker, 'worker')
  await options.subscriber.subscribe(cancelChannel(names))
  options.subscriber.on('message', (channel: string, id: string) => {
    if (channel !== cancelChannel(names) || worker.cancelJob(id, 'cancelled')) return
    // Not running here yet: remember it a while, in case this worker is about to start it.
    early.add(id)
    setTimeout(() => early.delete(id), 60_000).unref()
  })
  void worker.run()
  await worker.waitUntilReady()
  return worker
}
