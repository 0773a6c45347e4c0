import { describe, expect, it } from 'vitest'
import { loadAuthorization, storeAuthorization } from './stored-authorization.ts'

describe('the authorization a connection row keeps', () => {
  it('comes back as it was verified, dates included', () => {
    const authorization = {
      subject: 'ann',
      scopes: ['staff', 'read'],
      claims: { sub: 'ann', team: 'ops' },
      notBefore: new Date('2026-01-01T00:00:00Z'),
      expiresAt: new Date('2026-01-01T01:00:00Z'),
    }
    expect(loadAuthorization(storeAuthorization(authorization))).toEqual(authorization)
    expect(storeAuthorization(null)).toBeNull()
    expect(loadAuthorization(null)).toBeNull()
  })

  it('is anonymous when the row holds anything else', () => {
    for (const junk of [
      '{',
      '[]',
      '7',
      '{"subject":5,"scopes":[]}',
      '{"subject":"a","scopes":[1]}',
    ]) {
      expect(loadAuthorization(junk)).toBeNull()
    }
    expect(loadAuthorization(42)).toBeNull()
  })
})
