import {
  parseAllowedHosts,
  type Invoker,
  type JobRunner,
  type Logger,
  type CallbackUrlPolicy,
  type ChannelHandlerRuntime,
} from '@servey/core'
import type { Scheduler } from '@servey/scheduler'
import { schedulerSettingsFrom, type SchedulerSettings } from './scheduler-settings.ts'

export interface ServerJobs {
  /** For `createServer({ jobs })`: usable at once, it forwards to the scheduler once started. */
  readonly rest: { readonly runner: JobRunner; readonly callbackPolicy: CallbackUrlPolicy }
  /** For the channel hub: background-action and webhook handlers, forwarded likewise. */
  readonly handlers: ChannelHandlerRuntime
  /** Starts the scheduler (and its workers unless `--no-worker`) with the server's logger. */
  start(invoker: Invoker, log: Logger): Promise<Scheduler>
  /** `servey dev`'s reload: schedules and new jobs run the new code, running jobs the old. */
  reload(invoker: Invoker): Promise<void>
  /**
   * Shutdown's first step, while the last requests are answered: no more schedule ticks, no
   * more jobs taken from Redis (running ones finish); new jobs are still accepted.
   */
  stopRunning(): Promise<void>
  /** Stop taking jobs and finish the running ones (SERVEY_SHUTDOWN_TIMEOUT, default 10 s). */
  close(): Promise<void>
  /** SERVEY_SHUTDOWN_TIMEOUT in milliseconds (default 10 s): also the HTTP drain's grace. */
  readonly shutdownTimeoutMs: number
}

/** The scheduler's own default applies when SERVEY_SHUTDOWN_TIMEOUT is unset. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000

/** SERVEY_SHUTDOWN_TIMEOUT as read by {@link schedulerSettingsFrom}, in milliseconds. */
export function shutdownTimeoutMs(settings: SchedulerSettings): number {
  const value = settings.shutdownTimeout
  return typeof value === 'number' ? value : DEFAULT_SHUTDOWN_TIMEOUT_MS
}

/**
 * Jobs and schedules for `servey dev` and `servey start`: BullMQ when REDIS_URL is set, else in this process.
 * The REST plugin needs its runner when the server is built, but the scheduler should log
 * through the server's logger, which exists only afterwards: so the runner forwards.
 */
export function serverJobs(env: NodeJS.ProcessEnv, worker: boolean): ServerJobs {
  // Read before anything starts, so a bad setting fails start-up with its variable's name.
  const settings = schedulerSettingsFrom(env)
  let scheduler: Scheduler | undefined
  const started = (): Scheduler => {
    if (scheduler === undefined) throw new Error('the job scheduler has not started yet')
    return scheduler
  }
  const runner: JobRunner = {
    enqueue: (request) => started().jobs.enqueue(request),
    get: (id) => started().jobs.get(id),
    cancel: (id) => started().jobs.cancel(id),
  }
  return {
    rest: {
      runner,
      callbackPolicy: { allowedHosts: parseAllowedHosts(env['SERVEY_CALLBACK_ALLOWED_HOSTS']) },
    },
    handlers: {
      jobs: runner,
      webhooks: { send: (delivery) => started().webhooks.send(delivery) },
    },
    async start(invoker, log) {
      const { startScheduler } = await import('@servey/scheduler')
      scheduler = await startScheduler({
        invoker,
        log,
        role: worker ? 'all' : 'api',
        ...settings,
      })
      return scheduler
    },
    reload: (invoker) => started().reload(invoker),
    async stopRunning() {
      await scheduler?.stopRunning()
    },
    shutdownTimeoutMs: shutdownTimeoutMs(settings),
    async close() {
      await scheduler?.close()
    },
  }
}
