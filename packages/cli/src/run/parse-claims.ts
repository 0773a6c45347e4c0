import { ActionError, authorizationFromClaims, type Authorization } from '@servey/core'

/**
 * `servey run --claims='{"sub":"root","scope":"root"}'`: call as the holder of a token with
 * these claims. The caller is trusted (nothing is signed or verified: the command already runs
 * the app's code), but access rules, expiry (`exp`) and `nbf` are checked as for any caller.
 */
export function parseClaims(text: string): Authorization {
  let claims: unknown
  try {
    claims = JSON.parse(text)
  } catch (error) {
    throw new ActionError(
      'MALFORMED_JSON',
      `The claims given with --claims are not valid JSON: ${(error as Error).message}`,
    )
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new ActionError(
      'BAD_REQUEST',
      '--claims must be a JSON object, e.g. {"sub":"root","scope":"root"}',
    )
  }
  return authorizationFromClaims(claims as Record<string, unknown>)
}
