import type { Authorization } from '../action/context.ts'
import { ActionError } from '../errors/action-error.ts'
import type { AccessPolicy } from './access-policy.ts'
import { unauthenticated } from './unauthenticated.ts'

function forbidden(detail: string, scopes?: readonly string[]): ActionError {
  if (scopes === undefined) return new ActionError('FORBIDDEN', detail)
  return new ActionError('FORBIDDEN', detail, {
    data: { scopes },
    challenge: { scheme: 'Bearer', error: 'insufficient_scope', scope: scopes },
  })
}

/**
 * The checks that need no params: run before validation, so a caller without access learns
 * nothing about the params schema. Throws 401 or 403.
 */
export function checkAccessBeforeValidation(
  policy: AccessPolicy,
  authorization: Authorization | null,
): void {
  if (policy.kind === 'allow_all' || policy.kind === 'custom') return
  if (authorization === null)
    throw unauthenticated('missing_token', 'This action requires a bearer token')
  if (policy.kind === 'authenticated') return
  const held = new Set(authorization.scopes)
  const ok =
    policy.mode === 'any'
      ? policy.scopes.some((scope) => held.has(scope))
      : policy.scopes.every((scope) => held.has(scope))
  if (!ok) {
    // For `any`, a refused caller holds none of the scopes, so this names all of them.
    const missing = policy.scopes.filter((scope) => !held.has(scope))
    throw forbidden(
      `This action requires ${policy.mode === 'any' ? 'one of the scopes' : 'the scopes'}: ${missing.join(', ')}`,
      missing,
    )
  }
}

/** A custom predicate, once params are valid. */
export async function checkAccessAfterValidation(
  policy: AccessPolicy,
  authorization: Authorization | null,
  params: unknown,
): Promise<void> {
  if (policy.kind !== 'custom') return
  if (await policy.check(authorization, params)) return
  if (authorization === null)
    throw unauthenticated('missing_token', 'This action requires a bearer token')
  throw forbidden(`Access denied by ${policy.description}`)
}

/** Trusted in-process authorizations are not JWT-verified, but an expired one still fails. */
export function checkValidity(authorization: Authorization | null, now = Date.now()): void {
  if (authorization === null) return
  if (authorization.expiresAt !== undefined && authorization.expiresAt.getTime() <= now) {
    throw unauthenticated('token_expired', 'The authorization has expired')
  }
  if (authorization.notBefore !== undefined && authorization.notBefore.getTime() > now) {
    throw unauthenticated('token_not_yet_valid', 'The authorization is not valid yet')
  }
}
