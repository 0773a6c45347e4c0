import type { Authorization } from '../action/context.ts'

function scopesOf(claims: Readonly<Record<string, unknown>>): string[] {
  const scopes = new Set<string>()
  // The standard `scope` claim (RFC 8693) is space-separated; many providers use arrays.
  for (const key of ['scope', 'scopes', 'scp']) {
    const value = claims[key]
    const items: unknown[] =
      typeof value === 'string' ? value.split(' ') : Array.isArray(value) ? value : []
    for (const item of items) {
      if (typeof item === 'string' && item !== '') scopes.add(item)
    }
  }
  return [...scopes]
}

/** The Authorization of verified JWT claims: `sub`, scopes from `scope`/`scopes`/`scp`, `nbf`, `exp`. */
export function authorizationFromClaims(claims: Readonly<Record<string, unknown>>): Authorization {
  const authorization: { -readonly [K in keyof Authorization]: Authorization[K] } = {
    subject: typeof claims['sub'] === 'string' ? claims['sub'] : null,
    scopes: Object.freeze(scopesOf(claims)),
    claims: Object.freeze({ ...claims }),
  }
  if (typeof claims['nbf'] === 'number') authorization.notBefore = new Date(claims['nbf'] * 1000)
  if (typeof claims['exp'] === 'number') authorization.expiresAt = new Date(claims['exp'] * 1000)
  return Object.freeze(authorization)
}
