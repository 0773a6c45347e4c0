import ms from 'ms'
import { definitionErrors } from '../errors/definition-errors.ts'

/** A duration in milliseconds, or a string the `ms` library reads: `'500ms'`, `'15s'`, `'5m'`. */
export type Duration = number | string

export function toMilliseconds(value: Duration, what: string): number {
  const parsed = typeof value === 'number' ? value : ms(value as ms.StringValue)
  if (typeof parsed !== 'number' || !Number.isFinite(parsed) || parsed <= 0) {
    throw definitionErrors.SERVEY_ERR_DURATION_INVALID(JSON.stringify(value), what)
  }
  return parsed
}
