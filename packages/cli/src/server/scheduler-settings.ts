import { toMilliseconds } from '@servey/core'
import type { SchedulerOptions } from '@servey/scheduler'
import { positiveIntegerFromEnv } from '../config/positive-integer.ts'

/** The scheduler options every command reads from the environment. */
export type SchedulerSettings = Pick<
  SchedulerOptions,
  | 'redisUrl'
  | 'prefix'
  | 'shutdownTimeout'
  | 'lockDuration'
  | 'stalledInterval'
  | 'retention'
  | 'maxJobPayload'
>

// Each duration is read here, not inside the scheduler, so that a bad value fails start-up
// naming the variable (SERVEY_ERR_DURATION_INVALID), before any connection is opened.
const DURATIONS = {
  SERVEY_SHUTDOWN_TIMEOUT: 'shutdownTimeout',
  SERVEY_JOB_LOCK_DURATION: 'lockDuration',
  SERVEY_JOB_STALLED_INTERVAL: 'stalledInterval',
  SERVEY_JOB_RETENTION: 'retention',
} as const

/**
 * `REDIS_URL`, `SERVEY_JOBS_PREFIX`, `SERVEY_SHUTDOWN_TIMEOUT`, `SERVEY_JOB_LOCK_DURATION`,
 * `SERVEY_JOB_STALLED_INTERVAL` and `SERVEY_JOB_RETENTION`, for `servey start`, `servey dev`
 * and `servey worker` alike.
 * Empty values count as unset.
 */
export function schedulerSettingsFrom(env: NodeJS.ProcessEnv): SchedulerSettings {
  const settings: { -readonly [K in keyof SchedulerSettings]: SchedulerSettings[K] } = {}
  const redisUrl = env['REDIS_URL']
  if (redisUrl !== undefined && redisUrl !== '') settings.redisUrl = redisUrl
  const prefix = env['SERVEY_JOBS_PREFIX']
  if (prefix !== undefined && prefix !== '') settings.prefix = prefix
  for (const [variable, option] of Object.entries(DURATIONS)) {
    const value = env[variable]?.trim()
    if (value === undefined || value === '') continue
    // A bare number is milliseconds, as everywhere durations are read.
    settings[option] = toMilliseconds(/^\d+$/.test(value) ? Number(value) : value, variable)
  }
  const payload = env['SERVEY_JOB_PAYLOAD_LIMIT']?.trim()
  if (payload !== undefined && payload !== '') {
    settings.maxJobPayload = positiveIntegerFromEnv('SERVEY_JOB_PAYLOAD_LIMIT', payload, 'bytes')
  }
  return settings
}
