import type { Registry, RegisteredAction } from '@servey/core'
import { isScheduleTrigger, type ScheduleTrigger } from './schedule-trigger.ts'

export interface Schedule {
  readonly action: RegisteredAction
  readonly trigger: ScheduleTrigger
  /** Its position among the action's schedules: part of its id in Redis. */
  readonly index: number
}

/** Every schedule of the registry, in name order. */
export function schedulesOf(registry: Registry): Schedule[] {
  return registry.actions.flatMap((action) =>
    action.definition.triggers
      .filter(isScheduleTrigger)
      .map((trigger, index) => ({ action, trigger, index })),
  )
}
