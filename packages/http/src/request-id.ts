import { randomBytes } from 'node:crypto'

// 64 random bits per process, so ids of two processes (cluster workers, restarts, replicas)
// never collide, and a counter after them: a request id is made for every request, and a
// counter costs nothing where a random UUID per request was a measurable share of a small
// route's CPU (BENCHMARKS.md, "Where the time goes", 2026-12-06).
const PREFIX = randomBytes(8).toString('hex')

/**
 * The header that names a request: read from the caller (when well formed) and echoed on every
 * answer, by every HTTP transport (Fastify, API Gateway, the GraphQL endpoint) alike.
 */
export const REQUEST_ID_HEADER = 'x-request-id'
let counter = 0

/**
 * A fresh request id, unique across processes and restarts: `<16 hex digits of this process>-<n>`
 * (`3f9a1c2e7b4d5a60-1`, `3f9a1c2e7b4d5a60-2`, ...). Ids name a request in logs and problem
 * bodies; they are not secrets and not meant to be unguessable.
 */
export function newRequestId(): string {
  counter += 1
  return `${PREFIX}-${counter}`
}
