import type { ChannelHandlerRuntime, Invoker, Logger } from '@servey/core'
import type { Scheduler, SettledWork } from '@servey/scheduler'
import { schedulerSettingsFrom } from '../server/scheduler-settings.ts'

/** `servey run`'s exit code when the action succeeded but a channel handler it set off failed. */
export const HANDLER_FAILED_EXIT_CODE = 3

export interface RunHandlers {
  /** For the channel hub: jobs and webhooks, taken by a scheduler started on first use. */
  readonly runtime: ChannelHandlerRuntime
  /** The invoker the handlers' jobs run with (the run's own); set before anything publishes. */
  use(invoker: Invoker): void
  /**
   * Waits until every handler this run set off has ended (in process: the jobs, chains
   * included, and the webhooks; with Redis: the webhooks, the jobs being in the queue), then
   * closes the scheduler. Returns one `CODE: message` line per failure.
   */
  finish(): Promise<string[]>
}

function describeFailure(work: SettledWork): string | undefined {
  if (work.kind === 'job') {
    const { job } = work
    if (job.status === 'succeeded') return undefined
    const code = job.error?.code ?? 'CANCELLED'
    const reason = job.error?.detail ?? job.error?.title ?? job.status
    return `${code}: the channel handler ${job.action} (job ${job.id}) ${job.status}: ${reason}`
  }
  if (work.error === undefined) return undefined
  const { envelope, url } = work.delivery
  return `${work.error.code}: the webhook of channel ${envelope.channel} (event ${envelope.id}) to ${url} failed: ${work.error.message}`
}

/**
 * The channel handlers of what `servey run` publishes, run the way `servey dev` runs jobs: in
 * this process without REDIS_URL (the run waits for them, and reports their failures), on
 * BullMQ with it (enqueued for a `servey worker` or server, which run them durably). Webhooks
 * are delivered from this process either way. The scheduler, and with it BullMQ, is loaded
 * only when an event is handed to a handler: most runs never pay for it.
 */
export function runHandlers(env: NodeJS.ProcessEnv, log: Logger): RunHandlers {
  // Read up front, so a bad setting fails before the action runs, naming its variable.
  const settings = schedulerSettingsFrom(env)
  const failures: string[] = []
  let invoker: Invoker | undefined
  let scheduler: Promise<Scheduler> | undefined
  const started = (): Promise<Scheduler> => {
    scheduler ??= (async () => {
      if (invoker === undefined) throw new Error('servey run published before its invoker existed')
      const { startScheduler } = await import('@servey/scheduler')
      return startScheduler({
        invoker,
        log,
        // Accept jobs without running schedules; in process, accepted jobs run here.
        role: 'api',
        ...settings,
        // The command's environment decides, not the process's (REDIS_URL='' means none).
        redisUrl: settings.redisUrl ?? '',
        onSettled: (work) => {
          const failure = describeFailure(work)
          if (failure !== undefined) failures.push(failure)
        },
      })
    })()
    return scheduler
  }
  return {
    runtime: {
      jobs: {
        enqueue: async (request) => (await started()).jobs.enqueue(request),
        get: async (id) => (await started()).jobs.get(id),
        cancel: async (id) => (await started()).jobs.cancel(id),
      },
      webhooks: { send: async (delivery) => (await started()).webhooks.send(delivery) },
    },
    use(next) {
      invoker = next
    },
    async finish() {
      // A scheduler that could not start failed the publish already, with its reason.
      const running = await scheduler?.catch(() => undefined)
      if (running === undefined) return []
      await running.idle()
      await running.close()
      return failures
    },
  }
}
