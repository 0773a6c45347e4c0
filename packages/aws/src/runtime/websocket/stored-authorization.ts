import type { Authorization } from '@servey/core'

/**
 * The verified authorization of a connection as the connections table keeps it: JSON, dates as
 * ISO strings. Only the stack's functions can write the table (its IAM policy), so what is read
 * back is what a function verified; it is checked again (expiry, access) on every delivery.
 */
export function storeAuthorization(authorization: Authorization | null): string | null {
  if (authorization === null) return null
  return JSON.stringify({
    subject: authorization.subject,
    scopes: authorization.scopes,
    claims: authorization.claims,
    ...(authorization.notBefore === undefined
      ? {}
      : { notBefore: authorization.notBefore.toISOString() }),
    ...(authorization.expiresAt === undefined
      ? {}
      : { expiresAt: authorization.expiresAt.toISOString() }),
  })
}

/** Back from the table; anything unreadable is anonymous (it then only gets public events). */
export function loadAuthorization(stored: unknown): Authorization | null {
  if (typeof stored !== 'string') return null
  let value: Record<string, unknown>
  try {
    value = JSON.parse(stored) as Record<string, unknown>
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const { subject, scopes, claims, notBefore, expiresAt } = value
  if (subject !== null && typeof subject !== 'string') return null
  if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string')) return null
  return {
    subject,
    scopes: scopes as string[],
    claims:
      typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : {},
    ...(typeof notBefore === 'string' ? { notBefore: new Date(notBefore) } : {}),
    ...(typeof expiresAt === 'string' ? { expiresAt: new Date(expiresAt) } : {}),
  }
}
