import { cacheControlOf, type AccessPolicy, type CachePolicy } from '@servey/core/adapter'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ifNoneMatchMatches, strongEtag } from './etag.ts'

type OnSend = (request: FastifyRequest, reply: FastifyReply, payload: unknown) => Promise<unknown>

const isBody = (payload: unknown): payload is string | Buffer =>
  typeof payload === 'string' || Buffer.isBuffer(payload)

/** How a route translates its action's cache policy into HTTP. */
export interface CacheHeaders {
  /** The `Cache-Control` of a successful answer, when this method gets one. */
  readonly cacheControl: string | undefined
  /** For an ETag policy: the route's `onSend` hook, which needs the serialized bytes. */
  readonly onSend: OnSend | undefined
}

/**
 * `Cache-Control` on successful GET/HEAD answers (`no-store` on every method), set by the
 * handler itself: a hook per request would cost more than the header. For an ETag policy, an
 * `onSend` hook adds a strong ETag of the bytes actually sent, answering 304 with no body when
 * `If-None-Match` matches. Errors are never marked cacheable.
 */
export function cacheHeadersOf(
  policy: CachePolicy | undefined,
  access: AccessPolicy,
  method: string,
): CacheHeaders {
  const readable = method === 'GET' || method === 'HEAD'
  const header = cacheControlOf(policy, access)
  const cacheControl =
    header !== undefined && (readable || policy?.noStore === true) ? header : undefined
  if (policy?.etag !== true || !readable) return { cacheControl, onSend: undefined }
  const onSend: OnSend = async (request, reply, payload) => {
    if (reply.statusCode !== 200 || !isBody(payload)) return payload
    const etag = strongEtag(payload)
    reply.header('etag', etag)
    if (!ifNoneMatchMatches(request.headers['if-none-match'], etag)) return payload
    reply.code(304)
    return ''
  }
  return { cacheControl, onSend }
}
