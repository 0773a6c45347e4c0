import { createHash } from 'node:crypto'

/** A strong, quoted ETag (RFC 9110 §8.8.3) from the exact bytes sent. */
export function strongEtag(body: string | Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`
}

// One list element: optional W/, then a quoted run of etagc (any visible char but ", obs-text).
const ENTITY_TAG = /(?:W\/)?"([\x21\x23-\x7e\x80-\xff]*)"/y

/**
 * `If-None-Match` against the current ETag with the weak comparison RFC 9110 §13.1.2 asks
 * for: `W/"x"` matches `"x"`. `*` matches any current representation. Empty list elements
 * (`, , "x" ,`) are skipped as RFC 9110 §5.6.1 requires. A header that does not parse matches
 * nothing, so a broken client gets a full answer, never an error.
 */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false
  // The usual revalidation sends back exactly the tag it got: equal strings match.
  if (header === etag) return true
  if (header.trim() === '*') return true
  const opaque = etag.replace(/^W\//, '').slice(1, -1)
  let index = 0
  const skip = (chars: string): void => {
    while (index < header.length && chars.includes(header[index] as string)) index += 1
  }
  for (;;) {
    skip(' \t,')
    if (index >= header.length) return false
    ENTITY_TAG.lastIndex = index
    const match = ENTITY_TAG.exec(header)
    if (match === null) return false
    if (match[1] === opaque) return true
    index = ENTITY_TAG.lastIndex
    skip(' \t')
    if (index < header.length && header[index] !== ',') return false
  }
}
