import { describeAccess, type Registry } from '@servey/core'
import { describeTrigger, triggerData } from './describe-trigger.ts'
import { formatDuration } from './format-duration.ts'
import { accessData, firstLine, formatTable } from './text-table.ts'

const HEADERS = ['NAME', 'TRIGGERS', 'ACCESS', 'TIMEOUT', 'DESCRIPTION'] as const

/** The rows of `servey actions`, one per action; an action without triggers is `direct` only. */
export function actionRows(registry: Registry): string[][] {
  return registry.actions.map((action) => {
    const triggers = action.definition.triggers.map((trigger) => describeTrigger(action, trigger))
    return [
      action.name,
      triggers.length === 0 ? 'direct' : triggers.join(', '),
      describeAccess(action.definition.access),
      formatDuration(action.definition.timeoutMs),
      firstLine(action.definition.description),
    ]
  })
}

export function formatActionsTable(registry: Registry): string {
  return formatTable(HEADERS, actionRows(registry))
}

/** `servey actions --json`: everything the table shows, as data. */
export function actionsAsJson(registry: Registry): unknown[] {
  return registry.actions.map((action) => ({
    name: action.name,
    description: action.definition.description ?? null,
    timeoutMs: action.definition.timeoutMs,
    access: accessData(action.definition.access),
    triggers: action.definition.triggers.map((trigger) => triggerData(action, trigger)),
    // null: the action declares nothing (and may publish anywhere); [] declares it publishes nowhere.
    publishes: action.definition.publishes?.map((channel) => channel.name) ?? null,
  }))
}
