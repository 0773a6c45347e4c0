import { ActionError } from '../errors/action-error.ts'

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
  return new ActionError('UNAUTHENTICATED', detail, { data: { reason }, cause })
}
