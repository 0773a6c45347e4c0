import { cacheControlOf, type AccessPolicy, type CachePolicy } from '@servey/core/adapter'
import { ifNoneMatchMatches, strongEtag } from './etag.ts'
import { headerOf, type HttpRequest, type HttpResponse } from './http-message.ts'

/** How a route turns its action's cache policy into HTTP; computed once per route. */
export interface RouteCaching {
  /** The `Cache-Control` of a successful answer, when this method gets one. */
  readonly cacheControl: string | undefined
  /** A strong ETag of the body, and 304 for a matching `If-None-Match`. */
  readonly etag: boolean
}

/**
 * `Cache-Control` on successful GET answers (`no-store` on every method); an ETag only on
 * GET. Errors are never marked cacheable: the caller adds these to successes only.
 */
export function routeCaching(
  policy: CachePolicy | undefined,
  access: AccessPolicy,
  method: string,
): RouteCaching {
  const readable = method === 'GET' || method === 'HEAD'
  const header = cacheControlOf(policy, access)
  const cacheControl =
    header !== undefined && (readable || policy?.noStore === true) ? header : undefined
  return { cacheControl, etag: policy?.etag === true && readable }
}

/**
 * A successful answer with its caching headers: `Cache-Control`, and for an ETag policy a
 * strong ETag of the body, answered 304 with no content when `If-None-Match` matches it
 * (RFC 9110 §13.1.2). A 304 repeats the validator and `Cache-Control` (§15.4.5). `knownEtag`
 * is the body's ETag when the caller already has it (kept with a cached result).
 */
export function cachedResponse(
  request: HttpRequest,
  caching: RouteCaching,
  contentType: string,
  body: string,
  knownEtag?: string,
): HttpResponse {
  const headers: Record<string, string> = {}
  if (caching.cacheControl !== undefined) headers['cache-control'] = caching.cacheControl
  if (caching.etag) {
    const etag = knownEtag ?? strongEtag(body)
    headers['etag'] = etag
    if (ifNoneMatchMatches(headerOf(request.headers, 'if-none-match'), etag)) {
      return { status: 304, headers, body: undefined }
    }
  }
  headers['content-type'] = contentType
  return { status: 200, headers, body }
}
