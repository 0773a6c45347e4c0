import { ActionError } from '@servey/core/adapter'
import qs from 'qs'

/**
 * Nested keys (`item[name]=x`, `item.name=x`) are parsed with qs, within limits so a hostile
 * query cannot blow up; flat queries, nearly all of them, by the loop below at a fraction of
 * the cost.
 */
const QS_OPTIONS: qs.IParseOptions = {
  allowDots: true,
  depth: 5,
  parameterLimit: 1000,
  arrayLimit: 100,
  decoder: (text) => decode(text),
}

function badEncoding(): ActionError {
  return new ActionError('BAD_REQUEST', 'The query string has an invalid percent-encoding')
}

// `+` is a space in application/x-www-form-urlencoded; a `%` sequence that is not UTF-8 is
// refused (400) rather than passed on raw, which would hand the action text nobody sent.
function decode(text: string): string {
  const spaced = text.includes('+') ? text.replaceAll('+', ' ') : text
  if (!spaced.includes('%')) return spaced
  try {
    return decodeURIComponent(spaced)
  } catch {
    throw badEncoding()
  }
}

/**
 * A raw query string as params: a repeated key gives an array, `item[name]` and `item.name`
 * give objects. Values stay strings; core coerces them by the params schema. Throws
 * BAD_REQUEST for a value that does not percent-decode.
 */
export function parseQuery(query: string | undefined): Record<string, unknown> {
  const params: Record<string, unknown> = {}
  if (query === undefined || query === '') return params
  let start = 0
  while (start <= query.length) {
    let end = query.indexOf('&', start)
    if (end === -1) end = query.length
    if (end > start) {
      const pair = query.slice(start, end)
      const equals = pair.indexOf('=')
      const key = decode(equals === -1 ? pair : pair.slice(0, equals))
      if (key.includes('[') || key.includes('.')) {
        return qs.parse(query, QS_OPTIONS) as Record<string, unknown>
      }
      const value = equals === -1 ? '' : decode(pair.slice(equals + 1))
      if (!Object.hasOwn(params, key)) {
        // `__proto__=x` is an ordinary own property, never the object's prototype.
        if (key === '__proto__') {
          Object.defineProperty(params, key, { value, writable: true, enumerable: true })
        } else params[key] = value
      } else {
        const existing = params[key]
        if (Array.isArray(existing)) existing.push(value)
        else params[key] = [existing, value]
      }
    }
    start = end + 1
  }
  return params
}

/** The inverse, for clients and tests: arrays repeat the key, objects use brackets. */
export function writeQuery(params: Readonly<Record<string, unknown>>): string {
  return qs.stringify(params, { arrayFormat: 'repeat', encodeValuesOnly: true })
}
