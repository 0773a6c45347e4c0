// What both servers answer: a constant document, and the headers a cached GET carries.
import { createHash } from 'node:crypto'
import { Type } from '@servey/core'

export const CatalogueResult = Type.Object({
  items: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
})

export const CATALOGUE = {
  items: Array.from({ length: 10 }, (_, i) => ({ id: i + 1, name: `item ${i + 1}` })),
}

export const CACHE_CONTROL = 'public, max-age=60'

/** The ETag of a body, as any hand-written implementation would compute it per answer. */
export function etagOf(body: string | Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`
}

/** The body both servers send, so the ETag both compute is the same. */
export const CATALOGUE_BODY = JSON.stringify(CATALOGUE)
export const CATALOGUE_ETAG = etagOf(CATALOGUE_BODY)
