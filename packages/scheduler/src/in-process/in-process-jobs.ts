import {
  ActionError,
  isRetryable,
  toProblem,
  type InvokeOutcome,
  type Invoker,
  type JobRequest,
  type JobRunner,
  type JobState,
  type JobStatus,
  type Logger,
} from '@servey/core'
import { deliverWithRetries, type DeliverySettings } from '@servey/webhooks'
import { callbackBody } from '../callbacks/callback-body.ts'
import { idempotencyKeyReused, jobIdFor, sameParams } from '../job-id.ts'
import { runJob, type JobTrigger } from '../run-job.ts'
import { storableAuthorization } from '../system-authorization.ts'

/** Wait, or stop waiting as soon as the job is cancelled. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done)
  })
}

export interface InProcessJobsOptions {
  readonly invoker: Invoker
  readonly log: Logger
  readonly callbacks: DeliverySettings
  /** How long a finished job stays readable. Default 1 hour. */
  readonly retentionMs?: number
  /**
   * Tries per job unless the request says, as BullMQ's `attempts`: only retryable failures try
   * again. Default 1, as a bare BullMQ queue; `startScheduler` passes its own (default 3).
   */
  readonly attempts?: number
  /** First retry delay, doubled each time (BullMQ's exponential backoff). Default 1 s. */
  readonly backoffMs?: number
  /** Called once per job when it has ended (succeeded, failed or cancelled), with its state. */
  readonly onSettled?: (job: JobState) => void
}

interface Entry {
  state: { -readonly [K in keyof JobState]: JobState[K] }
  readonly controller: AbortController
  done: Promise<void>
  /** The params it was asked with: kept for a retry under the same idempotency key. */
  readonly params: unknown
}

export interface InProcessJobs extends JobRunner {
  /**
   * Run jobs enqueued from now on with `invoker` (the dev server's reload). Jobs already
   * accepted, and their retries, finish on the invoker they were accepted with.
   */
  use(invoker: Invoker): void
  /** Stops accepting jobs and waits for the running ones (up to `timeoutMs`). */
  close(timeoutMs?: number): Promise<void>
  /**
   * Resolves once no job is queued or running, the later links of chains included (each is
   * enqueued when the one before it ends): `servey run` waits on it before it exits.
   */
  idle(): Promise<void>
}

/**
 * Jobs in this process: each starts at once on the event loop (an action is async work, so
 * there is no pool to size) and its state lives in memory until `retentionMs` after it ends,
 * so jobs do not survive a restart (BullMQ on Redis does that). A retryable failure tries
 * again as BullMQ would: up to `attempts` tries, waiting `backoffMs`, then twice that, and so
 * on, shown as `queued` in between.
 */
export function createInProcessJobs(options: InProcessJobsOptions): InProcessJobs {
  const jobs = new Map<string, Entry>()
  const retentionMs = options.retentionMs ?? 3_600_000
  const attempts = Math.max(1, options.attempts ?? 1)
  const backoffMs = options.backoffMs ?? 1000
  let invoker = options.invoker
  let closed = false
  // Every job's `done` until it resolves, whether or not the job is still listed.
  const unfinished = new Set<Promise<void>>()

  const finish = (entry: Entry, patch: Partial<JobState>): void => {
    Object.assign(entry.state, patch, { finishedAt: new Date().toISOString() })
    setTimeout(() => jobs.delete(entry.state.id), retentionMs).unref()
    options.onSettled?.({ ...entry.state })
  }

  const runner: InProcessJobs = {
    enqueue(request: JobRequest) {
      if (closed)
        return Promise.reject(new ActionError('UNAVAILABLE', 'The server is shutting down'))
      const id = jobIdFor(request)
      const known = jobs.get(id)
      if (known !== undefined) {
        // A retry under the same idempotency key: the job it asked for, once.
        return sameParams(known.params, request.params)
          ? Promise.resolve(id)
          : Promise.reject(idempotencyKeyReused(request))
      }
      const controller = new AbortController()
      const log = options.log.child({ job: id, action: request.action })
      const entry: Entry = {
        state: {
          id,
          action: request.action,
          status: 'queued',
          progress: 0,
          subject: request.authorization?.subject ?? null,
          createdAt: new Date().toISOString(),
        },
        controller,
        done: Promise.resolve(),
        // Never changed: each attempt runs on its own copy (structuredClone below).
        params: request.idempotencyKey === undefined ? undefined : request.params,
      }
      jobs.set(id, entry)
      const trigger: JobTrigger = {
        kind: 'job',
        id,
        progress: (percent) => {
          if (entry.state.status === 'running') entry.state.progress = percent
          return Promise.resolve()
        },
      }
      // The code the job was accepted with runs it to the end, retries included.
      const runs = invoker
      const attempt = (): Promise<InvokeOutcome> => {
        entry.state.status = 'running'
        return runJob(runs, {
          action: request.action,
          params: structuredClone(request.params),
          authorization: storableAuthorization(request.authorization),
          trigger,
          signal: controller.signal,
          requestId: request.requestId ?? id,
          log,
        })
      }
      const run = async (): Promise<void> => {
        if (request.delayMs !== undefined) await pause(request.delayMs, controller.signal)
        if (controller.signal.aborted) return
        const tries = request.attempts ?? attempts
        const backoff = request.backoffMs ?? backoffMs
        let outcome = await attempt()
        for (let tried = 1; !outcome.ok && tried < tries && isRetryable(outcome.error);) {
          if (controller.signal.aborted) break
          const delay = backoff * 2 ** (tried - 1)
          log.warn(
            { code: outcome.error.code, attempt: tried, retryInMs: delay },
            `job ${id} (${request.action}) failed, trying again`,
          )
          entry.state.status = 'queued'
          await pause(delay, controller.signal)
          if (controller.signal.aborted) break
          outcome = await attempt()
          tried += 1
        }
        // cancel() may have finished the job while the handler was winding down.
        const cancelled = (entry.state.status as JobStatus) === 'cancelled'
        const problem = outcome.ok
          ? undefined
          : toProblem(outcome.error, { requestId: request.requestId ?? id })
        // A cancelled job was recorded as such by cancel(); only its callback is left to send.
        if (!cancelled && outcome.ok) {
          finish(entry, { status: 'succeeded', progress: 100, result: outcome.result })
        } else if (!cancelled && !outcome.ok) {
          finish(entry, {
            status: outcome.error.code === 'CANCELLED' ? 'cancelled' : 'failed',
            error: problem,
          })
        }
        if (request.callback !== undefined) {
          const body = callbackBody(
            request.callback,
            id,
            request.action,
            cancelled
              ? { ok: false, error: entry.state.error! }
              : outcome.ok
                ? { ok: true, result: outcome.result }
                : { ok: false, error: problem! },
          )
          await deliverWithRetries(request.callback, body, options.callbacks, log)
        }
      }
      entry.done = Promise.resolve()
        .then(run)
        .then(async () => {
          // The next link of a chain (a channel's later handler groups), whatever this
          // outcome; a shutdown drops it like any job that has not started.
          if (request.next !== undefined && !closed) await runner.enqueue(request.next)
        })
        .catch((error: unknown) => log.error({ err: error }, 'next job of the chain not enqueued'))
      const done = entry.done
      unfinished.add(done)
      void done.finally(() => unfinished.delete(done))
      return Promise.resolve(id)
    },

    use(next) {
      invoker = next
    },

    get(id) {
      const entry = jobs.get(id)
      return Promise.resolve(entry === undefined ? undefined : { ...entry.state })
    },

    cancel(id) {
      const entry = jobs.get(id)
      if (entry === undefined) return Promise.resolve(undefined)
      if (entry.state.status === 'queued' || entry.state.status === 'running') {
        const error = new ActionError('CANCELLED', 'The job was cancelled')
        finish(entry, { status: 'cancelled', error: toProblem(error) })
        entry.controller.abort(error)
      }
      return Promise.resolve({ ...entry.state })
    },

    async idle() {
      // A job's `done` covers its retries and the enqueueing of its chain's next link, so
      // once every known job is done, a new round finds the links enqueued meanwhile.
      while (unfinished.size > 0) await Promise.all(unfinished)
    },

    async close(timeoutMs = 10_000) {
      closed = true
      // A job still waiting out its delay would hold shutdown for as long: in this process
      // nothing survives a restart anyway (REDIS_URL makes jobs durable), so it is dropped.
      for (const entry of jobs.values()) {
        if (entry.state.status !== 'queued') continue
        options.log.warn(
          { job: entry.state.id, action: entry.state.action },
          'queued job dropped at shutdown',
        )
        const error = new ActionError('CANCELLED', 'The server shut down before the job ran')
        finish(entry, { status: 'cancelled', error: toProblem(error) })
        entry.controller.abort(error)
      }
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        Promise.all([...jobs.values()].map((entry) => entry.done)),
        new Promise((resolve) => {
          timer = setTimeout(resolve, timeoutMs)
        }),
      ])
      clearTimeout(timer)
    },
  }
  return runner
}
