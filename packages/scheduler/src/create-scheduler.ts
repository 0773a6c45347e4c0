import {
  parseAllowedHosts,
  silentLogger,
  type CallbackUrlPolicy,
  type Duration,
  type Invoker,
  type ActionError,
  type JobRunner,
  type JobState,
  type Logger,
  type WebhookDelivery,
  type WebhookSender,
} from '@servey/core'
import { callbackSecretFromEnv, createWebhookSender, type DeliverySettings } from '@servey/webhooks'
import { durationOption } from './duration-option.ts'
import { createInProcessJobs } from './in-process/in-process-jobs.ts'
import { DEFAULT_MAX_JOB_PAYLOAD, withPayloadLimit } from './job-payload-limit.ts'
import {
  startInProcessScheduler,
  type ScheduledRunEvent,
} from './in-process/in-process-scheduler.ts'
import { schedulesOf } from './schedules-of.ts'

export interface CallbackOptions {
  /** HMAC key for `Servey-Signature`. Default `SERVEY_CALLBACK_SECRET`, else random per start. */
  readonly secret?: string
  /** Default `SERVEY_CALLBACK_ALLOWED_HOSTS` (comma-separated hosts or CIDRs). */
  readonly allowedHosts?: readonly string[]
  /** Per delivery attempt. Default 10 s. */
  readonly timeout?: Duration
  /** Default 5. */
  readonly attempts?: number
  /** First retry delay, doubled each time. Default 1 s. */
  readonly backoff?: Duration
}

export interface SchedulerOptions {
  readonly invoker: Invoker
  readonly log?: Logger
  /** Default `REDIS_URL`. Without one, everything runs in this process. */
  readonly redisUrl?: string
  /**
   * `all` (default): run jobs and schedules here and accept new jobs. `api`: only accept and
   * read jobs (`servey start --no-worker`); `worker`: only run them (`servey worker`). In
   * process (no Redis) jobs always run here and `api` only turns the timers off.
   */
  readonly role?: 'all' | 'api' | 'worker'
  /** Redis key prefix; give each app (or test run) its own. Default `servey`. */
  readonly prefix?: string
  /** Default `servey`. */
  readonly queue?: string
  /** How long finished jobs stay readable at `/jobs/<id>`. Default 1 hour. */
  readonly retention?: Duration
  /** Tries per job and per scheduled tick. Default 3. */
  readonly attempts?: number
  /** First retry delay of a retryable failure, doubled each time. Default 1 s. */
  readonly backoff?: Duration
  /** Jobs at once per worker process. Default 10. */
  readonly concurrency?: number
  /**
   * How long a job's lock lasts without renewal (the worker renews it every half of this).
   * Default 30 s. A killed worker's job runs again elsewhere once its lock has expired and two
   * stalled-job checks have seen it: after `lockDuration` to `lockDuration + 2 × stalledInterval`.
   */
  readonly lockDuration?: Duration
  /** How often each worker looks for jobs whose worker died. Default 30 s. */
  readonly stalledInterval?: Duration
  /**
   * Largest job, in bytes of its JSON (params, and the later links of a channel-handler
   * chain): a larger one is refused with 413 JOB_PAYLOAD_TOO_LARGE before it is stored.
   * Default 512 KiB.
   */
  readonly maxJobPayload?: number
  /**
   * How long shutdown waits for running jobs. Default 10 s. Past it, a BullMQ job still
   * running is handed back to the queue (waiting) for another worker; an in-process one is
   * abandoned.
   */
  readonly shutdownTimeout?: Duration
  readonly callbacks?: CallbackOptions
  /** In-process only: called after each scheduled run (tests, benchmarks). */
  readonly onScheduledRun?: (event: ScheduledRunEvent) => void
  /**
   * Called when work of this process has ended: an in-process job (succeeded, failed or
   * cancelled), or a webhook delivery (with its coded error when it was not delivered). Jobs
   * on Redis end in whichever worker runs them, so they are not reported here.
   */
  readonly onSettled?: (work: SettledWork) => void
}

/** What {@link SchedulerOptions.onSettled} reports. */
export type SettledWork =
  | { readonly kind: 'job'; readonly job: JobState }
  | { readonly kind: 'webhook'; readonly delivery: WebhookDelivery; readonly error?: ActionError }

export interface Scheduler {
  readonly mode: 'in-process' | 'redis'
  /** For transports: `serveyRest({ jobs: { runner: scheduler.jobs, ... } })`. */
  readonly jobs: JobRunner
  /** The SSRF rules the transport checks callback URLs with before accepting a job. */
  readonly callbackPolicy: CallbackUrlPolicy
  /**
   * Webhook channels' deliveries, signed and SSRF-checked like callbacks: give it to the
   * channel hub (`createChannelHub(registry, { handlers: { jobs, webhooks } })`).
   */
  readonly webhooks: WebhookSender
  /**
   * Serve schedules and new jobs with `invoker` from now on: the dev server calls it on each
   * reload. Schedules restart from the new registry; runs and jobs already going finish on
   * the code they started with; job state stays readable.
   */
  reload(invoker: Invoker): Promise<void>
  /**
   * The first step of shutting down, while the server still answers its last requests: no
   * more schedule ticks here, and on Redis no more jobs taken from the queue; the running ones
   * finish (up to `shutdownTimeout`, after which Redis jobs go back to the queue for another
   * worker). New jobs are still accepted until `close()`: on Redis they wait in the queue, in
   * process they run here and `close()` waits for them.
   */
  stopRunning(): Promise<void>
  /** Stop taking jobs, finish the running ones (up to `shutdownTimeout`), close connections. */
  close(): Promise<void>
  /**
   * Resolves once this process has nothing left to do: no in-process job queued or running
   * (the later links of channel-handler chains included) and no webhook in flight. Jobs on
   * Redis are not waited for: they are durable, and any worker runs them. `servey run` waits
   * on it before it exits.
   */
  idle(): Promise<void>
}

/**
 * Schedules and background jobs for an app: BullMQ on Redis when `redisUrl` (or `REDIS_URL`)
 * is set, so they survive restarts and scale across processes; else timers and a queue in
 * this process.
 */
export async function startScheduler(options: SchedulerOptions): Promise<Scheduler> {
  const log = options.log ?? silentLogger
  const role = options.role ?? 'all'
  const redisUrl = options.redisUrl ?? process.env['REDIS_URL']
  const retentionMs = durationOption(options.retention, 3_600_000, 'the job retention')
  const shutdownMs = durationOption(options.shutdownTimeout, 10_000, 'the shutdown timeout')
  const attempts = options.attempts ?? 3
  const maxJobPayload = options.maxJobPayload ?? DEFAULT_MAX_JOB_PAYLOAD
  const backoffMs = durationOption(options.backoff, 1000, 'the job backoff')
  const callbackPolicy: CallbackUrlPolicy = {
    allowedHosts:
      options.callbacks?.allowedHosts ??
      parseAllowedHosts(process.env['SERVEY_CALLBACK_ALLOWED_HOSTS']),
  }
  const callbacks: DeliverySettings = {
    secret: options.callbacks?.secret ?? callbackSecretFromEnv(),
    policy: callbackPolicy,
    timeoutMs: durationOption(options.callbacks?.timeout, 10_000, 'the callback timeout'),
    attempts: options.callbacks?.attempts ?? 5,
    backoffMs: durationOption(options.callbacks?.backoff, 1000, 'the callback backoff'),
  }
  // Webhook channels share the callbacks' key, SSRF rules, timeout and retries.
  const onSettled = options.onSettled
  const webhooks = createWebhookSender({
    ...callbacks,
    log,
    ...(onSettled === undefined
      ? {}
      : {
          onSettled: (delivery: WebhookDelivery, error?: ActionError) =>
            onSettled(
              error === undefined
                ? { kind: 'webhook', delivery }
                : { kind: 'webhook', delivery, error },
            ),
        }),
  })

  if (redisUrl === undefined || redisUrl === '') {
    const jobs = createInProcessJobs({
      invoker: options.invoker,
      log,
      callbacks,
      retentionMs,
      attempts,
      backoffMs,
      ...(onSettled === undefined ? {} : { onSettled: (job) => onSettled({ kind: 'job', job }) }),
    })
    const startTimers = (invoker: Invoker) =>
      role === 'api'
        ? undefined
        : startInProcessScheduler(schedulesOf(invoker.registry), {
            invoker,
            log,
            ...(options.onScheduledRun === undefined ? {} : { onRun: options.onScheduledRun }),
          })
    let timers = startTimers(options.invoker)
    // Timers replaced by a reload, whose last runs may still be going.
    const stopping: Promise<void>[] = []
    return {
      mode: 'in-process',
      jobs: withPayloadLimit(jobs, maxJobPayload),
      callbackPolicy,
      webhooks,
      reload(invoker) {
        stopping.push(timers?.stop(shutdownMs) ?? Promise.resolve())
        jobs.use(invoker)
        timers = startTimers(invoker)
        return Promise.resolve()
      },
      async idle() {
        // A job may send a webhook, and (in theory) a webhook's end nothing more: jobs first.
        await jobs.idle()
        await webhooks.idle()
      },
      async stopRunning() {
        const stopped = timers
        timers = undefined
        await Promise.all([stopped?.stop(shutdownMs), ...stopping])
      },
      async close() {
        await Promise.all([
          timers?.stop(shutdownMs),
          jobs.close(shutdownMs),
          webhooks.close(shutdownMs),
          ...stopping,
        ])
      },
    }
  }

  // BullMQ and ioredis are loaded only for Redis: an app without REDIS_URL never needs them,
  // and loading them cost `servey start` about 170 ms of CPU at start-up (BENCHMARKS.md,
  // 2026-12-07 21:35).
  const { startRedisScheduler } = await import('./bullmq/start-redis-scheduler.ts')
  return startRedisScheduler({
    options,
    log,
    role,
    redisUrl,
    retentionMs,
    shutdownMs,
    attempts,
    backoffMs,
    maxJobPayload,
    callbacks,
    callbackPolicy,
    webhooks,
  })
}
