import { createHash } from 'node:crypto'

/** A strong, quoted ETag (RFC 9110 §8.8.3) from the exact bytes sent. */
export function strongEtag(body: string | Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`
}

// One entity-tag of a list: optional W/, then a quoted run of etagc (any visible char but ").
const ENTITY_TAG = /^\s*(?:W\/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*(?:,|$)/

/**
 * `If-None-Match` against the current ETag with the weak comparison RFC 9110 §13.1.2 asks
 * for: `W/"x"` matches `"x"`. `*` matches any current representation. A header that does not
 * parse matches nothing, so a broken client gets a full answer, never an error.
 */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false
  if (header.trim() === '*') return true
  const current = etag.replace(/^W\//, '')
  const opaque = current.slice(1, -1)
  let rest = header
  while (rest.trim() !== '') {
    const match = ENTITY_TAG.exec(rest)
    if (match === null) return false
    if (match[1] === opaque) return true
    rest = rest.slice(match[0].length)
  }
  return false
}
