import type { Registry } from '@servey/core'
import { describeSchedule, schedulesOf } from '@servey/scheduler'

/** A Redis URL as it may be printed: without its password. */
export function redactedRedisUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    return parsed.href
  } catch {
    return 'REDIS_URL'
  }
}

/**
 * What runs besides the API, for the dev banner: where jobs run, and each schedule. In
 * process, jobs are lost when the server stops, and the banner says so.
 */
export function jobsSummary(registry: Registry, mode: 'in-process' | 'redis', redisUrl?: string) {
  const where =
    mode === 'redis'
      ? `on Redis (BullMQ, ${redactedRedisUrl(redisUrl ?? '')})`
      : 'in this process (lost when it stops; set REDIS_URL to keep them)'
  const schedules = schedulesOf(registry).map(
    ({ action, trigger }) => `${action.name} ${describeSchedule(trigger)}`,
  )
  return [
    `  Jobs  ${where}: Prefer: respond-async, callbacks, /jobs/<id>`,
    `  Schedules ${schedules.length === 0 ? 'none' : schedules.join(', ')}`,
  ]
}
