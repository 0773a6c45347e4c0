import type { Authorization } from '@servey/core'

/**
 * The caller of a scheduled run: no subject (no user started it) and the scopes its schedule
 * declares, so an action's access rule decides whether a schedule may run it.
 */
export function systemAuthorization(scopes: readonly string[]): Authorization {
  return Object.freeze({
    subject: null,
    scopes: Object.freeze([...scopes]),
    claims: Object.freeze({ servey: 'system' }),
  })
}

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
