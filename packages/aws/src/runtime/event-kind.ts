/**
 * The shapes of event a Servey function answers, told apart by the fields AWS documents for
 * each. Order matters only where shapes could overlap: a direct invocation is the fallback for
 * a plain object with `params`, so no AWS event is ever taken for one.
 */
export type EventKind =
  'api-gateway-v1' | 'api-gateway-v2' | 'websocket' | 'sqs' | 'schedule' | 'direct' | 'unknown'

/** The `input` that `servey sls` puts on a schedule: which action, which of its schedules. */
export interface ScheduleInput {
  readonly servey: 'schedule'
  readonly action: string
  readonly schedule: number
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

export function isScheduleInput(event: Record<string, unknown>): boolean {
  return event['servey'] === 'schedule'
}

export function eventKindOf(event: unknown): EventKind {
  if (!isObject(event)) return 'unknown'
  const context = event['requestContext']
  if (isObject(context)) {
    if (typeof context['connectionId'] === 'string' && typeof context['routeKey'] === 'string') {
      return 'websocket'
    }
    if (event['version'] === '2.0' && isObject(context['http'])) return 'api-gateway-v2'
    if (typeof event['httpMethod'] === 'string') return 'api-gateway-v1'
  }
  const records = event['Records']
  if (Array.isArray(records) && records.length > 0) {
    return records.every((record) => isObject(record) && record['eventSource'] === 'aws:sqs')
      ? 'sqs'
      : 'unknown'
  }
  if (isScheduleInput(event)) return 'schedule'
  if (event['source'] === 'aws.events' && event['detail-type'] === 'Scheduled Event') {
    return 'schedule'
  }
  if (Object.hasOwn(event, 'params') || typeof event['action'] === 'string') return 'direct'
  return 'unknown'
}
