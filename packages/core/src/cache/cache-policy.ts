import type { AccessPolicy } from '../security/access-policy.ts'
import { definitionErrors } from '../errors/definition-errors.ts'

/** Who may keep a copy: `public` shared caches (a CDN), or `private` the caller's own browser. */
export type CacheVisibility = 'public' | 'private'

/** The server-side result cache of one action; `true` keeps results for `maxAge` seconds. */
export type ServerCacheOption = boolean | { readonly ttl: number }

/**
 * How an action's results may be cached, declared once on the action (`cache: ttl(30)`).
 * Core's pipeline applies the server cache; each adapter translates the rest (HTTP headers,
 * ETags, GraphQL cache hints).
 */
export interface CacheOptions {
  /** Seconds a client or shared cache may reuse a result: `Cache-Control: max-age`. */
  readonly maxAge?: number
  /** A strong ETag from a hash of the body; a matching `If-None-Match` answers 304. */
  readonly etag?: boolean
  /** Keep results on the server too (see `createResultCache`). */
  readonly server?: ServerCacheOption
  /** Default: `public` when the action allows everyone, `private` when it has access control. */
  readonly visibility?: CacheVisibility
  /** Never store: `Cache-Control: no-store`. Excludes every other option. */
  readonly noStore?: boolean
}

/** A checked, normalised cache policy, as `ActionDefinition.cache` holds it. */
export interface CachePolicy {
  readonly maxAge: number | undefined
  readonly etag: boolean
  /** Seconds the server keeps a result; undefined when there is no server cache. */
  readonly serverTtl: number | undefined
  readonly visibility: CacheVisibility | undefined
  readonly noStore: boolean
}

/** `cache: ttl(30)`: reusable for 30 s; pass more options to combine (`{ etag: true }`). */
export function ttl(seconds: number, options: Omit<CacheOptions, 'maxAge' | 'noStore'> = {}) {
  return Object.freeze({ ...options, maxAge: seconds }) satisfies CacheOptions
}

/** `cache: noStore`: never cached anywhere. */
export const noStore: CacheOptions = Object.freeze({ noStore: true })

const KNOWN = new Set(['maxAge', 'etag', 'server', 'visibility', 'noStore'])

const isSeconds = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0

/** Check the `cache` option of `action()` and freeze it in normal form. */
export function toCachePolicy(options: CacheOptions, label: string): CachePolicy {
  const invalid = (why: string) => definitionErrors.SERVEY_ERR_CACHE_POLICY_INVALID(label, why)
  if (typeof options !== 'object' || options === null) throw invalid('it must be an object')
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw invalid(`unknown key '${key}'`)
  }
  const { maxAge, etag = false, server = false, visibility, noStore = false } = options
  if (maxAge !== undefined && !isSeconds(maxAge)) {
    throw invalid('maxAge must be a whole number of seconds, 0 or more')
  }
  if (typeof etag !== 'boolean' || typeof noStore !== 'boolean') {
    throw invalid('etag and noStore are booleans')
  }
  if (visibility !== undefined && visibility !== 'public' && visibility !== 'private') {
    throw invalid("visibility is 'public' or 'private'")
  }
  let serverTtl: number | undefined
  if (server === true) {
    if (maxAge === undefined || maxAge === 0) {
      throw invalid('server: true keeps results for maxAge seconds, so it needs a maxAge above 0')
    }
    serverTtl = maxAge
  } else if (typeof server === 'object' && server !== null) {
    if (!isSeconds(server.ttl) || server.ttl === 0) {
      throw invalid('server.ttl must be a whole number of seconds above 0')
    }
    serverTtl = server.ttl
  } else if (server !== false) {
    throw invalid('server is true, false or { ttl: seconds }')
  }
  if (noStore && (maxAge !== undefined || etag || serverTtl !== undefined || visibility)) {
    throw invalid('noStore cannot be combined with other cache options')
  }
  return Object.freeze({ maxAge, etag, serverTtl, visibility, noStore })
}

/** The visibility that applies: explicit, else public only for actions everyone may call. */
export function visibilityOf(policy: CachePolicy, access: AccessPolicy): CacheVisibility {
  return policy.visibility ?? (access.kind === 'allow_all' ? 'public' : 'private')
}

/**
 * The `Cache-Control` value of a successful answer, or undefined for none. Shared by every
 * HTTP-speaking adapter so they agree. An ETag without a max-age means "revalidate each time".
 */
export function cacheControlOf(
  policy: CachePolicy | undefined,
  access: AccessPolicy,
): string | undefined {
  if (policy === undefined) return undefined
  if (policy.noStore) return 'no-store'
  if (policy.maxAge !== undefined)
    return `${visibilityOf(policy, access)}, max-age=${policy.maxAge}`
  if (policy.etag) return `${visibilityOf(policy, access)}, no-cache`
  return undefined
}
