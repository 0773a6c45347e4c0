import type { RegisteredAction, Trigger } from '@servey/core/adapter'

/**
 * A schedule trigger as this package reads it: plain data that `@servey/scheduler`'s `every()`
 * and `cron()` create (kind `schedule`). An adapter may not import another, and a trigger is
 * data by design, so only the fields Lambda needs are named here.
 */
export interface ScheduleTriggerData extends Trigger {
  readonly kind: 'schedule'
  /** Fixed rate in milliseconds. */
  readonly every?: number
  /** A 5-field cron expression, or 6 with seconds first. */
  readonly cron?: string
  readonly tz?: string
  readonly params: Readonly<Record<string, unknown>>
  readonly scopes: readonly string[]
}

export function isScheduleTrigger(trigger: Trigger): trigger is ScheduleTriggerData {
  return trigger.kind === 'schedule'
}

/** The action's schedules, in declaration order: the index names one in generated config. */
export function schedulesOf(action: RegisteredAction): ScheduleTriggerData[] {
  return action.definition.triggers.filter(isScheduleTrigger)
}
