import type { ScheduleTriggerData } from '../runtime/schedule-trigger-data.ts'
import { slsErrors } from './errors.ts'

/** One schedule as serverless.yml's `schedule` event spells it. */
export interface ScheduleExpression {
  /** `rate(5 minutes)` or `cron(0 12 ? * MON-FRI *)`. */
  readonly expression: string
  /** Set for a cron in another time zone: only EventBridge Scheduler (`method: scheduler`) has them. */
  readonly timezone?: string
  /** Why the schedule differs from the declared one on AWS (a rate rounded up to minutes). */
  readonly warning?: string
}

const MINUTE = 60_000
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`
}

/**
 * EventBridge rates are whole minutes, hours or days, one minute at least. A shorter or
 * uneven interval is rounded up to whole minutes, with a warning that `servey sls` prints:
 * a heartbeat declared `every('10s')` still runs on AWS, once a minute.
 */
export function rateExpression(everyMs: number): ScheduleExpression {
  const minutes = Math.max(1, Math.ceil(everyMs / MINUTE))
  const exact = everyMs % MINUTE === 0
  const rate =
    minutes % 1440 === 0
      ? plural(minutes / 1440, 'day')
      : minutes % 60 === 0
        ? plural(minutes / 60, 'hour')
        : plural(minutes, 'minute')
  return {
    expression: `rate(${rate})`,
    ...(exact
      ? {}
      : {
          warning: `every ${everyMs} ms runs every ${plural(minutes, 'minute')} on AWS: EventBridge rates are whole minutes`,
        }),
  }
}

function dayNumber(token: string): number | undefined {
  const name = DAY_NAMES.indexOf(token.toUpperCase() as (typeof DAY_NAMES)[number])
  if (name !== -1) return name
  if (!/^[0-7]$/.test(token)) return undefined
  return Number(token) % 7
}

/** A standard day-of-week field (0-7 or SUN-SAT, Sunday 0 or 7) as EventBridge's names. */
function awsDaysOfWeek(field: string, fail: (why: string) => never): string {
  const nth = /^([0-7]|[A-Za-z]{3})#([1-5])$/.exec(field)
  if (nth !== null) {
    const day = dayNumber(nth[1] as string)
    if (day === undefined) fail(`unknown day of week '${nth[1]}'`)
    // EventBridge numbers the days 1 (Sunday) to 7 and accepts `#` only with a number.
    return `${day + 1}#${nth[2]}`
  }
  const days = new Set<number>()
  for (const item of field.split(',')) {
    const match = /^(\*|[0-7A-Za-z]{1,3}(?:-[0-7A-Za-z]{1,3})?)(?:\/(\d+))?$/.exec(item)
    if (match === null) fail(`the day of week '${item}' is not a day, range, list or step`)
    const [from, to] =
      match[1] === '*' ? ['0', '6'] : ((match[1] as string).split('-') as [string, string?])
    const start = dayNumber(from)
    const end = to === undefined ? (match[2] === undefined ? start : 6) : dayNumber(to)
    if (start === undefined || end === undefined) fail(`unknown day of week in '${item}'`)
    const step = match[2] === undefined ? 1 : Number(match[2])
    if (step < 1) fail(`the step of '${item}' must be 1 or more`)
    // `5-7` ends on Sunday written as 7: walk to 7 before taking the day modulo 7.
    const last = to !== undefined && /^7$/.test(to) ? 7 : end
    for (let day = start; day <= last; day += step) days.add(day % 7)
  }
  if (days.size === 7) return '*'
  return [...days]
    .sort((a, b) => a - b)
    .map((day) => DAY_NAMES[day])
    .join(',')
}

const FIELD = {
  minute: /^[0-9*,/-]+$/,
  hour: /^[0-9*,/-]+$/,
  dayOfMonth: /^[0-9*,/?LW-]+$/,
  month: /^[0-9A-Za-z*,/-]+$/,
}

/**
 * A cron expression of `@servey/scheduler` (5 fields, or 6 with seconds first; weekdays 0-7)
 * in EventBridge's syntax (6 fields with a year; weekdays 1-7 or names; `?` in whichever of
 * day-of-month and day-of-week is not set). What EventBridge cannot express is refused with a
 * coded error rather than deployed as some other schedule.
 */
export function cronExpression(
  trigger: Pick<ScheduleTriggerData, 'cron' | 'tz'>,
  where: { readonly action: string; readonly index: number },
): ScheduleExpression {
  const source = (trigger.cron ?? '').trim()
  const fail = (why: string): never => {
    throw slsErrors.SERVEY_ERR_SLS_SCHEDULE_UNSUPPORTED(
      `#${where.index} (cron '${source}')`,
      where.action,
      why,
    )
  }
  const fields = source.split(/\s+/)
  if (fields.length === 6) {
    if (fields[0] !== '0') fail('EventBridge runs at most once a minute, at second 0')
    fields.shift()
  }
  if (fields.length !== 5) fail('give 5 fields (minute hour day month weekday)')
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [
    string,
    string,
    string,
    string,
    string,
  ]
  for (const [name, value] of Object.entries({ minute, hour, dayOfMonth, month })) {
    if (!FIELD[name as keyof typeof FIELD].test(value)) fail(`the ${name} field '${value}'`)
  }
  const anyDay = (value: string): boolean => value === '*' || value === '?'
  const weekdays = anyDay(dayOfWeek) ? '*' : awsDaysOfWeek(dayOfWeek, fail)
  if (!anyDay(dayOfMonth) && weekdays !== '*') {
    fail('it sets both a day of the month and a day of the week, which EventBridge cannot combine')
  }
  const [dom, dow] =
    weekdays === '*' ? [dayOfMonth === '?' ? '*' : dayOfMonth, '?'] : ['?', weekdays]
  const tz = trigger.tz ?? 'UTC'
  return {
    expression: `cron(${minute} ${hour} ${dom} ${month} ${dow} *)`,
    ...(tz === 'UTC' || tz === 'Etc/UTC' ? {} : { timezone: tz }),
  }
}

export function scheduleExpression(
  trigger: ScheduleTriggerData,
  where: { readonly action: string; readonly index: number },
): ScheduleExpression {
  if (trigger.every !== undefined) return rateExpression(trigger.every)
  return cronExpression(trigger, where)
}
