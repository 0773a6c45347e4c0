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

/** A decoded pair into params: a repeated key becomes an array, in the order sent. */
function addPair(params: Record<string, unknown>, key: string, value: string): void {
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

const isNested = (key: string): boolean => key.includes('[') || key.includes('.')

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
      if (isNested(key)) return qs.parse(query, QS_OPTIONS) as Record<string, unknown>
      addPair(params, key, equals === -1 ? '' : decode(pair.slice(equals + 1)))
    }
    start = end + 1
  }
  return params
}

/** Query pairs a gateway has decoded already: each key with its values, in the order sent. */
export type DecodedQuery = Readonly<Record<string, readonly string[]>>

/**
 * The same params as `parseQuery`, from a query a gateway has already percent-decoded (API
 * Gateway's REST API hands Lambda `multiValueQueryStringParameters`, never the raw string).
 * Values are not decoded a second time: `%41` stays `%41`, as the client meant it. A key or
 * value holding U+FFFD is BAD_REQUEST, the answer `parseQuery` gives to escapes that are not
 * UTF-8: a decoding gateway replaces those bytes with U+FFFD, so the original is lost.
 */
export function queryFromDecoded(query: DecodedQuery | undefined): Record<string, unknown> {
  const params: Record<string, unknown> = {}
  if (query === undefined) return params
  const entries = Object.entries(query)
  for (const [key, values] of entries) {
    if (key.includes('\uFFFD') || values.some((value) => value.includes('\uFFFD'))) {
      throw badEncoding()
    }
  }
  if (entries.some(([key]) => isNested(key))) {
    // Nested keys go through qs as on every transport: written back once, read once.
    return qs.parse(rawQueryOf({ decodedQuery: query }), QS_OPTIONS) as Record<string, unknown>
  }
  for (const [key, values] of entries) for (const value of values) addPair(params, key, value)
  return params
}

/** Where a request's query is: raw (`query`), or decoded by a gateway (`decodedQuery`). */
export interface QuerySource {
  readonly query?: string | undefined
  readonly decodedQuery?: DecodedQuery | undefined
}

/** Longest accepted query string, in characters (after `?`, as sent). */
export const DEFAULT_QUERY_LIMIT = 16_384

/**
 * A request's query as params, whichever way its transport handed it over. A query string
 * longer than `limit` characters is URI_TOO_LONG (414) before anything is parsed.
 */
export function queryParamsOf(
  request: QuerySource,
  limit: number = DEFAULT_QUERY_LIMIT,
): Record<string, unknown> {
  const length =
    request.decodedQuery === undefined
      ? (request.query?.length ?? 0)
      : encodedQueryLength(request.decodedQuery, limit)
  if (length > limit) {
    throw new ActionError('URI_TOO_LONG', `The query string is over ${limit} characters`)
  }
  return request.decodedQuery === undefined
    ? parseQuery(request.query)
    : queryFromDecoded(request.decodedQuery)
}

// Characters `encodeURIComponent` leaves as they are: A-Z a-z 0-9 - _ . ! ~ * ' ( ).
const UNRESERVED = new Uint8Array(128)
for (const char of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()") {
  UNRESERVED[char.charCodeAt(0)] = 1
}

/** The length of `text` once percent-encoded by `encodeURIComponent`, computed, not built. */
function encodedLength(text: string): number {
  let length = 0
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code < 0x80) length += UNRESERVED[code] === 1 ? 1 : 3
    else if (code < 0x800) length += 6
    // Either half of a surrogate pair: the pair is 4 UTF-8 bytes, 12 characters in all. A lone
    // half counts as U+FFFD would (9), which is what a decoding gateway hands over for it.
    else if (code >= 0xd800 && code <= 0xdfff) length += isPairHalf(text, index, code) ? 6 : 9
    else length += 9
  }
  return length
}

function isPairHalf(text: string, index: number, code: number): boolean {
  const isLow = (at: number): boolean => {
    const next = text.charCodeAt(at)
    return next >= 0xdc00 && next <= 0xdfff
  }
  const isHigh = (at: number): boolean => {
    const previous = text.charCodeAt(at)
    return previous >= 0xd800 && previous <= 0xdbff
  }
  return code <= 0xdbff ? isLow(index + 1) : isHigh(index - 1)
}

/**
 * The length `rawQueryOf` would give a decoded query, without building the string: each
 * `key=value` percent-encoded, joined by `&`. API Gateway's REST API hands Lambda only the
 * decoded pairs, so this is the nearest measure of what the client sent, and it is the one a
 * client's ordinary encoding gives Fastify's raw string, so both transports draw the 414 line
 * at the same place. It stops counting once past `limit`: only "over or not" matters then.
 */
export function encodedQueryLength(query: DecodedQuery, limit = Number.POSITIVE_INFINITY): number {
  let length = 0
  let pairs = 0
  for (const key in query) {
    if (!Object.hasOwn(query, key)) continue
    const values = query[key] as readonly string[]
    if (values.length === 0) continue
    const keyLength = encodedLength(key)
    for (let index = 0; index < values.length; index++) {
      // `=` for each pair, `&` between pairs.
      length += keyLength + 1 + encodedLength(values[index] as string) + (pairs > 0 ? 1 : 0)
      pairs++
      if (length > limit) return length
    }
  }
  return length
}

/** A request's query as a raw string without `?` (for a redirect back to the same URL). */
export function rawQueryOf(request: QuerySource): string {
  if (request.decodedQuery === undefined) return request.query ?? ''
  return Object.entries(request.decodedQuery)
    .flatMap(([key, values]) =>
      values.map((value) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`),
    )
    .join('&')
}

/** The inverse, for clients and tests: arrays repeat the key, objects use brackets. */
export function writeQuery(params: Readonly<Record<string, unknown>>): string {
  return qs.stringify(params, { arrayFormat: 'repeat', encodeValuesOnly: true })
}
