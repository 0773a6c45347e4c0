import { ActionError } from '../errors/action-error.ts'
import type { AuthChallenge } from './auth-challenge.ts'

/**
 * Why a caller is not authenticated. Stable, machine-readable, and sent to the client as
 * `data.reason` beside the code `UNAUTHENTICATED`, so every transport keeps one error code
 * (GraphQL clients expect exactly UNAUTHENTICATED) and still says what was wrong.
 */
export const UNAUTHENTICATED_REASONS = [
  'missing_token',
  'malformed_header',
  'token_too_large',
  'malformed_token',
  'invalid_signature',
  'algorithm_not_allowed',
  'token_expired',
  'token_not_yet_valid',
  'invalid_issuer',
  'invalid_audience',
  'invalid_claims',
  'unknown_key',
  'no_authenticator',
  'invalid_token',
] as const

export type UnauthenticatedReason = (typeof UNAUTHENTICATED_REASONS)[number]

export function unauthenticated(
  reason: UnauthenticatedReason,
  detail: string,
  cause?: unknown,
): ActionError {
  // RFC 6750 §3.1: a request with no credentials gets a bare challenge, a bad token says so.
  const challenge: AuthChallenge =
    reason === 'missing_token'
      ? { scheme: 'Bearer' }
      : { scheme: 'Bearer', error: 'invalid_token', description: detail }
  return new ActionError('UNAUTHENTICATED', detail, { data: { reason }, cause, challenge })
}
