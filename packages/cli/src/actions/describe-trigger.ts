import { isWebTrigger, webPathOf, type RegisteredAction, type Trigger } from '@servey/core'

/** A trigger as data for `servey actions --json`: web triggers gain their resolved path. */
export function triggerData(action: RegisteredAction, trigger: Trigger): Record<string, unknown> {
  if (isWebTrigger(trigger)) {
    return { ...trigger, path: webPathOf(action.kebabName, trigger) }
  }
  return { ...trigger }
}

/**
 * One short phrase per trigger: `GET /actions/say-hello`. Kinds this package does not know
 * (added by other packages) show their kind and simple settings: `schedule cron=0 * * * *`.
 */
export function describeTrigger(action: RegisteredAction, trigger: Trigger): string {
  const data = triggerData(action, trigger)
  if (isWebTrigger(trigger)) return `${String(data['method'])} ${String(data['path'])}`
  const settings = Object.entries(data)
    .filter(
      ([key, value]) => key !== 'kind' && ['string', 'number', 'boolean'].includes(typeof value),
    )
    .map(([key, value]) => `${key}=${String(value)}`)
  return [trigger.kind, ...settings].join(' ')
}
