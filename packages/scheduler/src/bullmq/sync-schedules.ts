import type { Logger, RegisteredAction } from '@servey/core'
import type { Queue } from 'bullmq'
import type { ScheduleTrigger } from '../schedule-trigger.ts'
import { schedulerId, type ScheduleJobData, type ServeyJobData } from './job-data.ts'

export interface ScheduleJobOptions {
  readonly attempts: number
  readonly backoffMs: number
  readonly retentionMs: number
}

/**
 * Make Redis hold exactly this app's schedules: upsert each (a changed one is updated in
 * place) and remove the job schedulers of actions or schedules that no longer exist.
 */
export async function syncSchedules(
  queue: Queue<ServeyJobData>,
  schedules: ReadonlyArray<{ action: RegisteredAction; trigger: ScheduleTrigger; index: number }>,
  options: ScheduleJobOptions,
  log: Logger,
): Promise<void> {
  const wanted = new Set<string>()
  const retention = { age: Math.ceil(options.retentionMs / 1000), count: 1000 }
  for (const { action, trigger, index } of schedules) {
    const id = schedulerId(action.name, index)
    wanted.add(id)
    const repeat =
      trigger.every !== undefined
        ? { every: trigger.every }
        : { pattern: trigger.cron ?? '', tz: trigger.tz ?? 'UTC' }
    const data: ScheduleJobData = { kind: 'schedule', action: action.name, index }
    await queue.upsertJobScheduler(id, repeat, {
      name: action.name,
      data,
      opts: {
        attempts: options.attempts,
        backoff: { type: 'exponential', delay: options.backoffMs },
        removeOnComplete: retention,
        removeOnFail: retention,
      },
    })
  }
  for (const scheduler of await queue.getJobSchedulers(0, -1)) {
    const id = scheduler.key
    if (wanted.has(id)) continue
    await queue.removeJobScheduler(id)
    log.info({ scheduler: id }, 'removed the schedule of an action that no longer has it')
  }
}
