import { describeAccess, type AccessPolicy, type Registry } from '@servey/core'
import { describeTrigger, triggerData } from './describe-trigger.ts'
import { formatDuration } from './format-duration.ts'

const HEADERS = ['NAME', 'TRIGGERS', 'ACCESS', 'TIMEOUT', 'DESCRIPTION'] as const

function firstLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n')[0] ?? ''
}

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

/** Columns padded to their widest cell; the last column is left ragged. */
export function formatActionsTable(registry: Registry): string {
  const rows = [[...HEADERS], ...actionRows(registry)]
  const widths = HEADERS.map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  )
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n')
}

/** A policy as data: a custom rule's predicate is code, so only its description is shown. */
function accessData(policy: AccessPolicy): Record<string, unknown> {
  if (policy.kind === 'custom') return { kind: policy.kind, description: policy.description }
  return { ...policy }
}

/** `servey actions --json`: everything the table shows, as data. */
export function actionsAsJson(registry: Registry): unknown[] {
  return registry.actions.map((action) => ({
    name: action.name,
    description: action.definition.description ?? null,
    timeoutMs: action.definition.timeoutMs,
    access: accessData(action.definition.access),
    triggers: action.definition.triggers.map((trigger) => triggerData(action, trigger)),
  }))
}
