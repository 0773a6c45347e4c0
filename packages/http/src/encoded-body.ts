import { isSharedResult } from '@servey/core/adapter'
import { strongEtag } from './etag.ts'
import type { ResultEncoder } from './result-encoder.ts'

/** A result as one route sends it: its JSON text, and its ETag when the route has one. */
export interface EncodedBody {
  readonly body: string
  readonly etag: string | undefined
}

/**
 * A result's body: its JSON text alone when it was encoded for this answer only (the caller
 * hashes it if the route has an ETag), or the remembered body and ETag of a shared result.
 */
export type BodyEncoder = (result: unknown) => string | EncodedBody

/**
 * The body of one route's results. A result the server cache handed out (`isSharedResult`:
 * frozen at every depth, the same object on every hit) is serialized and hashed once and then
 * answered from this memory, so a hit or a 304 costs neither `fast-json-stringify` nor a
 * SHA-256 per request. Keyed weakly by the result, so the memory lives exactly as long as the
 * cache keeps the decoded result. Any other result is encoded afresh and handed back as bare
 * text: no wrapper object per answer on the common path. The encoder may throw (the caller
 * answers that as a 5xx); a failure is never remembered.
 */
export function createBodyEncoder(encoder: ResultEncoder, withEtag: boolean): BodyEncoder {
  const known = new WeakMap<object, EncodedBody>()
  return (result) => {
    if (!isSharedResult(result)) return encoder(result)
    let encoded = known.get(result)
    if (encoded === undefined) {
      const body = encoder(result)
      encoded = { body, etag: withEtag ? strongEtag(body) : undefined }
      known.set(result, encoded)
    }
    return encoded
  }
}
