import { ActionError } from '@servey/core/adapter'
import qs from 'qs'

/**
 * Nested keys (`item[name]=x`, `item.name=x`) are built into objects by qs, from pairs split,
 * decoded and grouped by `nestedParams`; flat queries, nearly all of them, are read by the loop
 * of `parseQuery` at a fraction of the cost. Both read a repeated key alike: an array of every
 * value, bounded only by the query's length (see `nestedParams`). The limits guard what a short
 * query could otherwise blow up: 5 levels of nesting, an explicit index below 100 (qs's
 * `arrayLimit`), past which `a[99999999]=x` is an object key, never a sparse array, and 1,000
 * distinct keys, flat or nested alike (qs costs microseconds a key), past which the query is
 * refused: dropping keys would lose what the client sent.
 */
const QS_OPTIONS: qs.IParseOptions = { allowDots: true, depth: 5, arrayLimit: 100 }
const KEY_LIMIT = 1000

function badEncoding(): ActionError {
  return new ActionError('BAD_REQUEST', 'The query string has an invalid percent-encoding')
}

// BAD_REQUEST, as for a path parameter over its length: no code of the catalogue is more
// precise (URI_TOO_LONG is the length, which such a query may well be under).
function tooManyKeys(): ActionError {
  return new ActionError('BAD_REQUEST', `The query string has over ${KEY_LIMIT} distinct keys`)
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
 * A decoded pair into params: a repeated key becomes an array, in the order sent. True when
 * the key is new, so the caller counts distinct keys at no cost of its own.
 */
function addPair(params: Record<string, unknown>, key: string, value: string): boolean {
  if (!Object.hasOwn(params, key)) {
    // `__proto__=x` is an ordinary own property, never the object's prototype.
    if (key === '__proto__') {
      Object.defineProperty(params, key, { value, writable: true, enumerable: true })
    } else params[key] = value
    return true
  }
  const existing = params[key]
  if (Array.isArray(existing)) existing.push(value)
  else params[key] = [existing, value]
  return false
}

const isNested = (key: string): boolean => key.includes('[') || key.includes('.')

/**
 * Params from a query with a nested key, as decoded pairs in the order sent. qs 6.17 applies
 * its `arrayLimit` to every array, so it would turn the 101st repeat of `a=` or `a[]=` into an
 * object, while the flat loop (like Fastify's and Hono's parsers, and URLSearchParams) gathers
 * every repeat: a repeat costs its bytes in the query, so the 16 KiB length bounds it, and
 * it can never leave a hole. So each key's values are gathered here, a key ending in `[]`
 * (within the depth qs expands) as the array of its parent, and qs receives each key once with
 * its value or array; it still bounds what only it can expand, depth and explicit indices. Past
 * 1,000 distinct keys (a key and its `[]` spelling count once) the query is BAD_REQUEST.
 */
function nestedParams(pairs: readonly (readonly [string, string])[]): Record<string, unknown> {
  const grouped = new Map<string, string[]>()
  let pushed: Set<string> | undefined
  for (const [sentKey, value] of pairs) {
    let key = sentKey
    if (isPush(sentKey)) {
      key = sentKey.slice(0, -2)
      ;(pushed ??= new Set()).add(key)
    }
    const values = grouped.get(key)
    if (values !== undefined) values.push(value)
    else if (grouped.size === KEY_LIMIT) throw tooManyKeys()
    else grouped.set(key, [value])
  }
  const input: Record<string, string | string[]> = {}
  for (const [key, values] of grouped) {
    const value = values.length === 1 && pushed?.has(key) !== true ? (values[0] as string) : values
    // An own `__proto__` key, as in the flat loop; qs then leaves it out, as it always has.
    if (key === '__proto__') {
      Object.defineProperty(input, key, { value, writable: true, enumerable: true })
    } else input[key] = value
  }
  // qs.parse reads an object of keys to values parsed already: an array is taken as it is
  // (its types say strings only).
  return qs.parse(input as Record<string, string>, QS_OPTIONS) as Record<string, unknown>
}

/**
 * `a[]`, `a[b][]`, `a.b[]`: a key whose last segment is `[]`, within the 5 levels qs expands
 * (each `[` or `.` opens at most one), so that dropping the `[]` changes nothing but the limit.
 */
function isPush(key: string): boolean {
  if (key.length <= 2 || !key.endsWith('[]')) return false
  let segments = 0
  for (const char of key) if (char === '[' || char === '.') segments++
  return segments <= 5
}

/**
 * A raw query's pairs, decoded. A key ends at the first `=`, unless a `[` comes before it:
 * then at the first `]=`, as qs splits (`a[b=c]=d` is key `a[b=c]`).
 */
function rawPairs(query: string): (readonly [string, string])[] {
  const pairs: (readonly [string, string])[] = []
  let start = 0
  while (start <= query.length) {
    let end = query.indexOf('&', start)
    if (end === -1) end = query.length
    if (end > start) {
      const pair = query.slice(start, end)
      let equals = pair.indexOf('=')
      const bracket = pair.indexOf('[')
      if (bracket !== -1 && (equals === -1 || bracket < equals)) {
        const closing = pair.indexOf(']=')
        if (closing !== -1) equals = closing + 1
      }
      const key = decode(equals === -1 ? pair : pair.slice(0, equals))
      pairs.push([key, equals === -1 ? '' : decode(pair.slice(equals + 1))])
    }
    start = end + 1
  }
  return pairs
}

// The characters the flat loop of `parseQuery` looks for, as char codes.
const AMPERSAND = 0x26
const EQUALS = 0x3d
const PLUS = 0x2b
const PERCENT = 0x25
const BRACKET = 0x5b
const DOT = 0x2e

/**
 * A raw query string as params: a repeated key gives an array, `item[name]` and `item.name`
 * give objects. Values stay strings; core coerces them by the params schema. Throws
 * BAD_REQUEST for a value that does not percent-decode, and for over 1,000 distinct keys.
 */
export function parseQuery(query: string | undefined): Record<string, unknown> {
  const params: Record<string, unknown> = {}
  if (query === undefined || query === '') return params
  const length = query.length
  let keys = 0
  let start = 0
  while (start <= length) {
    // One pass over the pair finds its end, its `=`, and whether key or value needs decoding
    // or the key nests, where string searches took eight calls for `name=World` (measured
    // with `pnpm bench instructions`).
    let equals = -1
    let keyEncoded = false
    let keyNested = false
    let valueEncoded = false
    let end = start
    for (; end < length; end++) {
      const code = query.charCodeAt(end)
      if (code === AMPERSAND) break
      if (equals === -1) {
        if (code === EQUALS) equals = end
        else if (code === PLUS || code === PERCENT) keyEncoded = true
        else if (code === BRACKET || code === DOT) keyNested = true
      } else if (code === PLUS || code === PERCENT) valueEncoded = true
    }
    if (end > start) {
      const sentKey = query.slice(start, equals === -1 ? end : equals)
      const key = keyEncoded ? decode(sentKey) : sentKey
      // A decoded key may nest where the sent one did not (`item%5Bname%5D`).
      if (keyNested || (keyEncoded && isNested(key))) return nestedParams(rawPairs(query))
      let value = ''
      if (equals !== -1) {
        const sentValue = query.slice(equals + 1, end)
        value = valueEncoded ? decode(sentValue) : sentValue
      }
      // The first key cannot repeat one: no lookup needed (`__proto__` still goes by addPair).
      if (keys === 0 && key !== '__proto__') {
        params[key] = value
        keys = 1
      } else if (addPair(params, key, value) && ++keys > KEY_LIMIT) throw tooManyKeys()
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
    return nestedParams(
      entries.flatMap(([key, values]) => values.map((value) => [key, value] as const)),
    )
  }
  let keys = 0
  for (const [key, values] of entries) {
    for (const value of values) {
      if (addPair(params, key, value) && ++keys > KEY_LIMIT) throw tooManyKeys()
    }
  }
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
