import { ActionError } from '@servey/core/adapter'
import secureJson from 'secure-json-parse'

/** Default largest body, in bytes: 1 MiB, as Fastify's. */
export const DEFAULT_BODY_LIMIT = 1_048_576

// `application/json` and any structured `+json` type (RFC 6839): `application/vnd.api+json`,
// `application/merge-patch+json`, each with optional parameters.
const JSON_TYPE = /^application\/(?:[\w!#$&^.-]+\+)?json\s*(?:;|$)/i

export function isJsonContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && JSON_TYPE.test(contentType)
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * The body's bytes as text, refusing bytes that are not UTF-8. Node's lenient decoder is twice
 * as fast as the fatal one (190 against 420 ns on a 100-byte body), and it writes U+FFFD only
 * where the bytes were not UTF-8 or held U+FFFD itself: the fatal decoder decides only then.
 * A one-byte string cannot hold U+FFFD, so the search ends at once for most bodies.
 */
function decodeUtf8(bytes: Uint8Array): string {
  const text = Buffer.isBuffer(bytes)
    ? bytes.toString('utf8')
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
  return text.includes('\uFFFD') ? utf8.decode(bytes) : text
}

function byteLength(body: string | Uint8Array): number {
  return typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength
}

/**
 * A request body as an action's input: undefined when there is none, else parsed JSON.
 * Another media type is 415, a body over `limit` bytes 413, and text that is not JSON (or not
 * UTF-8, or with a `__proto__` or `constructor.prototype` key, the prototype-poisoning
 * shapes) is 400 MALFORMED_JSON.
 */
export function readJsonBody(
  body: string | Uint8Array | undefined,
  contentType: string | undefined,
  limit: number = DEFAULT_BODY_LIMIT,
): unknown {
  const json = isJsonContentType(contentType)
  if (body === undefined || body.length === 0) {
    if (!json) return undefined
    throw new ActionError(
      'MALFORMED_JSON',
      `The request body is empty but its content-type is '${contentType}'`,
    )
  }
  if (!json) {
    throw new ActionError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Send a JSON body with content-type application/json',
    )
  }
  // A string of n UTF-16 units is at most 3n bytes: most bodies need no exact count.
  if (body.length * (typeof body === 'string' ? 3 : 1) > limit && byteLength(body) > limit) {
    throw new ActionError('PAYLOAD_TOO_LARGE', `The request body is over ${limit} bytes`)
  }
  try {
    const text = typeof body === 'string' ? body : decodeUtf8(body)
    return secureJson.parse(text, { protoAction: 'error', constructorAction: 'error' })
  } catch (error) {
    throw new ActionError('MALFORMED_JSON', 'The request body is not valid JSON', {
      cause: error,
    })
  }
}
