import { createInvoker, type ChannelHandlerRuntime } from '@servey/core'
import type { Scheduler } from '@servey/scheduler'
import { loadApp } from '../entry/load-app.ts'
import { resolveApp } from '../config/resolve-app.ts'
import { invokePluginsOf } from '../config/invoke-settings.ts'
import type { CliIo } from '../io.ts'
import { logLevelFrom } from '../log/log-level.ts'
import { createStreamLogger } from '../log/stream-logger.ts'
import { publishingChannels } from '../server/publishing-channels.ts'
import { schedulerSettingsFrom } from '../server/scheduler-settings.ts'
import { serverCache } from '../server/server-cache.ts'
import { shutdownSignal } from '../server/shutdown-signal.ts'

export interface WorkerOptions {
  readonly entry?: string
}

/**
 * `servey worker`: runs scheduled and background jobs, and serves nothing. With REDIS_URL it
 * takes jobs from BullMQ alongside any number of other workers and servers; without it, it
 * runs the app's schedules on timers in this one process.
 */
export async function runWorker(options: WorkerOptions, io: CliIo): Promise<number> {
  io.env['NODE_ENV'] ??= 'production'
  const log = createStreamLogger(io.stdout, logLevelFrom(io.env), { worker: process.pid })
  const settings = schedulerSettingsFrom(io.env)
  const { entry, config } = await resolveApp({ flag: options.entry, env: io.env, cwd: io.cwd })
  const { registry } = await loadApp(entry.path)
  const cache = serverCache(io.env, false)
  // Jobs publish to Redis, where every server reads; without it, see publishingChannels. The
  // channels' handlers of a job's publish run here too: enqueued through this worker's
  // scheduler, which starts after the invoker that needs the hub, hence the forwarding.
  const running: { scheduler?: Scheduler } = {}
  const started = (): Scheduler => {
    if (running.scheduler === undefined) throw new Error('the job scheduler has not started yet')
    return running.scheduler
  }
  const handlers: ChannelHandlerRuntime = {
    jobs: {
      enqueue: (request) => started().jobs.enqueue(request),
      get: (id) => started().jobs.get(id),
      cancel: (id) => started().jobs.cancel(id),
    },
    webhooks: { send: (delivery) => started().webhooks.send(delivery) },
  }
  const channels =
    registry.channels.length === 0
      ? undefined
      : await publishingChannels(io.env, registry, log, handlers)
  const invoker = createInvoker(registry, {
    log,
    plugins: [...invokePluginsOf(config.config), cache.pluginFor(registry)],
    ...(channels === undefined ? {} : { channels: channels.hub }),
  })
  const { startScheduler, schedulesOf } = await import('@servey/scheduler')
  const scheduler = await startScheduler({ invoker, log, role: 'worker', ...settings })
  running.scheduler = scheduler
  if (scheduler.mode === 'in-process') {
    log.warn(
      {},
      'REDIS_URL is not set: running the schedules in this process only; no background jobs can reach it',
    )
  }
  log.info(
    { mode: scheduler.mode, schedules: schedulesOf(registry).length },
    `servey worker: running ${scheduler.mode === 'redis' ? 'jobs and schedules from Redis' : 'schedules in-process'}`,
  )
  // Timers and sockets do not hold the process open by themselves: this does, until a signal.
  const keepAlive = setInterval(() => undefined, 1 << 30)
  const signal = await shutdownSignal()
  clearInterval(keepAlive)
  log.info({ signal }, 'shutting down: finishing the running jobs')
  await scheduler.close()
  await channels?.close()
  await cache.close()
  return 0
}
