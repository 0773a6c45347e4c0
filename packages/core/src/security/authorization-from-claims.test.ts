import { describe, expect, it } from 'vitest'
import { authorizationFromClaims } from './authorization-from-claims.ts'

describe('authorizationFromClaims', () => {
  it('maps sub, nbf, exp and keeps every claim', () => {
    const authorization = authorizationFromClaims({
      sub: 'ada',
      nbf: 1_000,
      exp: 2_000,
      tenant: 't1',
    })
    expect(authorization).toEqual({
      subject: 'ada',
      scopes: [],
      notBefore: new Date(1_000_000),
      expiresAt: new Date(2_000_000),
      claims: { sub: 'ada', nbf: 1_000, exp: 2_000, tenant: 't1' },
    })
    expect(Object.isFrozen(authorization)).toBe(true)
  })

  it('reads scopes from scope (space-separated), scopes and scp, without duplicates', () => {
    expect(authorizationFromClaims({ scope: 'read  write' }).scopes).toEqual(['read', 'write'])
    expect(authorizationFromClaims({ scopes: ['admin', 7], scp: 'read' }).scopes).toEqual([
      'admin',
      'read',
    ])
    expect(authorizationFromClaims({ scope: 'a', scp: ['a', 'b'] }).scopes).toEqual(['a', 'b'])
  })

  it('has no subject for a token without sub', () => {
    expect(authorizationFromClaims({ sub: 42 }).subject).toBeNull()
  })
})
