import { isDefinitionError, toMilliseconds, type Duration, type Trigger } from '@servey/core'
import { CronExpressionParser } from 'cron-parser'
import { schedulerDefinitionErrors } from './errors.ts'

/** What a scheduled run does when the previous run of the same schedule is still going. */
export type Overlap = 'skip' | 'queue'

export interface ScheduleOptions {
  /** Fixed params for every run; validated against the action's schema on each run. */
  readonly params?: Readonly<Record<string, unknown>>
  /** Scopes of the system authorization the runs carry, so access rules apply. Default none. */
  readonly scopes?: readonly string[]
  /** In-process only (one process): `skip` (default) drops a tick, `queue` runs it after. */
  readonly overlap?: Overlap
}

export interface CronOptions extends ScheduleOptions {
  /** IANA time zone of the expression. Default UTC. */
  readonly tz?: string
}

/** Plain data, like every trigger: `every` (fixed rate, ms) or a `cron` expression. */
export interface ScheduleTrigger extends Trigger {
  readonly kind: 'schedule'
  readonly every?: number
  readonly cron?: string
  readonly tz?: string
  readonly params: Readonly<Record<string, unknown>>
  readonly scopes: readonly string[]
  readonly overlap: Overlap
}

/** The trigger a scheduled run sees in `context.trigger`: its schedule plus the tick. */
export interface ScheduledRunTrigger extends ScheduleTrigger {
  /** Identifies the tick; the same on every retry of it. */
  readonly tick: string
}

function checkCommon(
  options: ScheduleOptions,
): Pick<ScheduleTrigger, 'params' | 'scopes' | 'overlap'> {
  const overlap = options.overlap ?? 'skip'
  if (overlap !== 'skip' && overlap !== 'queue') {
    throw schedulerDefinitionErrors.SERVEY_ERR_SCHED_OPTION_INVALID(
      'overlap',
      `${JSON.stringify(overlap)} is neither "skip" nor "queue"`,
    )
  }
  const scopes = options.scopes ?? []
  if (!Array.isArray(scopes) || scopes.some((scope) => typeof scope !== 'string')) {
    throw schedulerDefinitionErrors.SERVEY_ERR_SCHED_OPTION_INVALID(
      'scopes',
      'give a list of strings',
    )
  }
  const params = options.params ?? {}
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw schedulerDefinitionErrors.SERVEY_ERR_SCHED_OPTION_INVALID('params', 'give an object')
  }
  return { params: Object.freeze({ ...params }), scopes: Object.freeze([...scopes]), overlap }
}

/**
 * Run at a fixed rate: `every('5m')`, `every(500)`. The first run comes one interval after
 * start; ticks stay on the grid of the start time, so a slow run does not shift later ones.
 */
export function every(interval: Duration, options: ScheduleOptions = {}): ScheduleTrigger {
  let ms: number
  try {
    ms = toMilliseconds(interval, 'a schedule')
  } catch (error) {
    if (isDefinitionError(error)) {
      throw schedulerDefinitionErrors.SERVEY_ERR_SCHED_INTERVAL_INVALID(JSON.stringify(interval))
    }
    throw error
  }
  return Object.freeze({ kind: 'schedule', every: Math.round(ms), ...checkCommon(options) })
}

function checkTimeZone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
  } catch {
    throw schedulerDefinitionErrors.SERVEY_ERR_SCHED_TIMEZONE_INVALID(JSON.stringify(tz))
  }
}

/** Run on a cron expression (5 fields, or 6 with seconds): `cron('*\/5 * * * *', { tz })`. */
export function cron(expression: string, options: CronOptions = {}): ScheduleTrigger {
  const tz = options.tz ?? 'UTC'
  checkTimeZone(tz)
  if (typeof expression !== 'string' || !/^\S+(\s+\S+){4,5}$/.test(expression.trim())) {
    throw schedulerDefinitionErrors.SERVEY_ERR_SCHED_CRON_INVALID(
      JSON.stringify(expression),
      'give 5 fields (minute hour day month weekday), or 6 with seconds first',
    )
  }
  try {
    CronExpressionParser.parse(expression, { tz }).next()
  } catch (error) {
    throw schedulerDefinitionErrors.SERVEY_ERR_SCHED_CRON_INVALID(
      JSON.stringify(expression),
      (error as Error).message,
    )
  }
  return Object.freeze({ kind: 'schedule', cron: expression.trim(), tz, ...checkCommon(options) })
}

export function isScheduleTrigger(trigger: Trigger): trigger is ScheduleTrigger {
  return trigger.kind === 'schedule'
}

/** The next run strictly after `after` (ms since epoch), for a schedule started at `origin`. */
export function nextRunAfter(trigger: ScheduleTrigger, origin: number, after: number): number {
  if (trigger.every !== undefined) {
    const elapsed = Math.max(0, after - origin)
    return origin + (Math.floor(elapsed / trigger.every) + 1) * trigger.every
  }
  return CronExpressionParser.parse(trigger.cron ?? '', {
    tz: trigger.tz ?? 'UTC',
    currentDate: new Date(after),
  })
    .next()
    .getTime()
}

/** Human form for logs and `servey actions`: `every 5000 ms`, `cron 0 * * * * (UTC)`. */
export function describeSchedule(trigger: ScheduleTrigger): string {
  return trigger.every !== undefined
    ? `every ${trigger.every} ms`
    : `cron ${trigger.cron ?? ''} (${trigger.tz ?? 'UTC'})`
}
