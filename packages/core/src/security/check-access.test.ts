import { describe, expect, it } from 'vitest'
import type { Authorization } from '../action/context.ts'
import { allScopes, allowAll, anyScope, authenticated, custom } from './access-policy.ts'
import {
  checkAccessAfterValidation,
  checkAccessBeforeValidation,
  checkValidity,
} from './check-access.ts'

const caller = (scopes: string[], extra: Partial<Authorization> = {}): Authorization => ({
  subject: 'ada',
  scopes,
  claims: {},
  ...extra,
})

function refusal(check: () => unknown): unknown {
  try {
    check()
  } catch (error) {
    return error
  }
  throw new Error('the check let the caller through')
}

describe('checkAccessBeforeValidation', () => {
  it('lets anyone through allowAll, and a custom rule through to after validation', () => {
    expect(() => checkAccessBeforeValidation(allowAll, null)).not.toThrow()
    expect(() =>
      checkAccessBeforeValidation(
        custom(() => false),
        null,
      ),
    ).not.toThrow()
  })

  it('answers a caller without a token with 401 missing_token and a bare challenge', () => {
    for (const policy of [authenticated, anyScope('root'), allScopes('root')]) {
      expect(refusal(() => checkAccessBeforeValidation(policy, null))).toMatchObject({
        code: 'UNAUTHENTICATED',
        status: 401,
        message: 'This action requires a bearer token',
        data: { reason: 'missing_token' },
        challenge: { scheme: 'Bearer' },
      })
    }
    expect(() => checkAccessBeforeValidation(authenticated, caller([]))).not.toThrow()
  })

  it('anyScope needs one of its scopes, not all of them', () => {
    const policy = anyScope('root', 'admin')
    expect(() => checkAccessBeforeValidation(policy, caller(['admin']))).not.toThrow()
    expect(() => checkAccessBeforeValidation(policy, caller(['root']))).not.toThrow()
    expect(refusal(() => checkAccessBeforeValidation(policy, caller(['user'])))).toMatchObject({
      code: 'FORBIDDEN',
      status: 403,
      message: 'This action requires one of the scopes: root, admin',
      data: { scopes: ['root', 'admin'] },
      challenge: { scheme: 'Bearer', error: 'insufficient_scope', scope: ['root', 'admin'] },
    })
  })

  it('allScopes needs every scope, and names only the missing ones', () => {
    const policy = allScopes('read', 'write', 'admin')
    expect(() =>
      checkAccessBeforeValidation(policy, caller(['admin', 'write', 'read'])),
    ).not.toThrow()
    expect(refusal(() => checkAccessBeforeValidation(policy, caller(['read'])))).toMatchObject({
      code: 'FORBIDDEN',
      message: 'This action requires the scopes: write, admin',
      data: { scopes: ['write', 'admin'] },
      challenge: { scope: ['write', 'admin'] },
    })
  })
})

describe('checkAccessAfterValidation', () => {
  it('runs a custom predicate on the params: 401 for no caller, 403 naming the rule', async () => {
    const owner = custom<{ owner: string }>(
      (authorization, params) => authorization?.subject === params.owner,
      'owner only',
    )
    await expect(
      checkAccessAfterValidation(owner as never, caller([]), { owner: 'ada' }),
    ).resolves.toBeUndefined()
    const denied = await checkAccessAfterValidation(owner as never, caller([]), {
      owner: 'bob',
    }).catch((error: unknown) => error)
    // No scope would help: no data and no insufficient_scope challenge.
    expect(denied).toMatchObject({ code: 'FORBIDDEN', message: 'Access denied by owner only' })
    expect(denied).toMatchObject({ data: undefined, challenge: undefined })
    await expect(
      checkAccessAfterValidation(owner as never, null, { owner: 'bob' }),
    ).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'This action requires a bearer token',
      data: { reason: 'missing_token' },
    })
  })

  it('leaves scope policies to the check before validation', async () => {
    await expect(
      checkAccessAfterValidation(anyScope('root'), caller([]), {}),
    ).resolves.toBeUndefined()
  })
})

describe('checkValidity', () => {
  const now = Date.parse('2026-12-05T12:00:00Z')
  const at = (offsetMs: number) => new Date(now + offsetMs)

  it('accepts no authorization, and one with neither bound', () => {
    expect(() => checkValidity(null, now)).not.toThrow()
    expect(() => checkValidity(caller([]), now)).not.toThrow()
  })

  it('accepts a still-valid expiresAt and refuses one at or before now: token_expired', () => {
    expect(() => checkValidity(caller([], { expiresAt: at(1) }), now)).not.toThrow()
    for (const offset of [0, -1, -60_000]) {
      expect(
        refusal(() => checkValidity(caller([], { expiresAt: at(offset) }), now)),
      ).toMatchObject({
        code: 'UNAUTHENTICATED',
        message: 'The authorization has expired',
        data: { reason: 'token_expired' },
        challenge: { scheme: 'Bearer', error: 'invalid_token' },
      })
    }
  })

  it('refuses a notBefore still in the future: token_not_yet_valid; accepts it once reached', () => {
    expect(refusal(() => checkValidity(caller([], { notBefore: at(1) }), now))).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'The authorization is not valid yet',
      data: { reason: 'token_not_yet_valid' },
    })
    expect(() => checkValidity(caller([], { notBefore: at(0) }), now)).not.toThrow()
    expect(() =>
      checkValidity(caller([], { notBefore: at(-1), expiresAt: at(1) }), now),
    ).not.toThrow()
  })
})
