import ms from 'ms'
import { definitionErrors } from '../errors/definition-errors.ts'

/** A duration in milliseconds, or a string the `ms` library reads: `'500ms'`, `'15s'`, `'5m'`. */
export type Duration = number | string

function parse(value: unknown): number | undefined {
  if (typeof value === 'number') return value
  if (typeof value !== 'string') return undefined
  // ms throws a plain Error for '' and returns undefined for text it cannot read; both must
  // surface as the same coded error.
  try {
    return ms(value as ms.StringValue)
  } catch {
    return undefined
  }
}

/** Read a duration as a positive number of milliseconds; `what` names it in the error. */
export function toMilliseconds(value: Duration, what: string): number {
  const parsed = parse(value)
  if (parsed === undefined || !Number.isFinite(parsed) || parsed <= 0) {
    throw definitionErrors.SERVEY_ERR_DURATION_INVALID(JSON.stringify(value), what)
  }
  return parsed
}
