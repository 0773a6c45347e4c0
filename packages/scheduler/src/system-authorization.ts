import type { Authorization } from '@servey/core'

// Core owns the system caller: every scheduler (here, and EventBridge on Lambda) uses the same.
export { systemAuthorization } from '@servey/core'

/**
 * An authorization as a job carries it: JSON, without its validity window. The token was
 * verified when the job was accepted; the job must still run after the token expires.
 */
export function storableAuthorization(authorization: Authorization | null): Authorization | null {
  if (authorization === null) return null
  return {
    subject: authorization.subject,
    scopes: [...authorization.scopes],
    claims: authorization.claims,
  }
}
