import { createHash, randomUUID } from 'node:crypto'
import { isDeepStrictEqual } from 'node:util'
import { ActionError, type JobRequest } from '@servey/core'

/**
 * The id of a new job: random, or, when the caller gave an idempotency key, derived from the
 * key, the action and the caller, so that a retry of the same request names the same job and
 * the runner can find it instead of adding a second one. Shaped as a UUID (version 8, RFC
 * 9562 §5.8) so every job id looks alike in `/jobs/<id>`. The caller is part of it: two
 * callers who pick the same key never meet (anonymous callers share one space, so a key should
 * be unguessable: a UUID).
 */
export function jobIdFor(request: JobRequest): string {
  const key = request.idempotencyKey
  if (key === undefined) return randomUUID()
  const digest = createHash('sha256')
    .update(JSON.stringify([request.action, request.authorization?.subject ?? null, key]))
    .digest()
  digest[6] = ((digest[6] as number) & 0x0f) | 0x80
  digest[8] = ((digest[8] as number) & 0x3f) | 0x80
  const hex = digest.toString('hex', 0, 16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null))

/**
 * Whether a job found under a request's key was asked with the same params. Both sides are
 * compared as JSON, the form a runner stores them in: a retry that sends the same body matches
 * however its keys are ordered.
 */
export function sameParams(stored: unknown, params: unknown): boolean {
  return isDeepStrictEqual(asJson(stored), asJson(params))
}

/** The refusal of a key reused for another request (IETF draft idempotency-key-header §2.7). */
export function idempotencyKeyReused(request: JobRequest): ActionError {
  return new ActionError(
    'IDEMPOTENCY_KEY_REUSED',
    `This Idempotency-Key was already used for a call of ${request.action} with other params; ` +
      'use a new key for a new request',
  )
}
