import { describe, expect, it } from 'vitest'
import { ActionError } from '../errors/action-error.ts'
import { anyScope, allScopes } from './access-policy.ts'
import { checkAccessBeforeValidation } from './check-access.ts'
import { unauthenticated } from './unauthenticated.ts'

function refusal(run: () => void): ActionError {
  try {
    run()
  } catch (error) {
    return error as ActionError
  }
  throw new Error('expected a refusal')
}

describe('the typed challenge of a refusal', () => {
  it('is a bare Bearer challenge when no credentials were sent', () => {
    expect(unauthenticated('missing_token', 'A bearer token is required').challenge).toEqual({
      scheme: 'Bearer',
    })
  })

  it('names invalid_token, with the detail, for a bad token', () => {
    expect(unauthenticated('token_expired', 'The token has expired').challenge).toEqual({
      scheme: 'Bearer',
      error: 'invalid_token',
      description: 'The token has expired',
    })
  })

  it('names insufficient_scope and the scopes missing for a scope refusal', () => {
    const caller = { subject: 'ada', scopes: ['read'], claims: {} }
    expect(
      refusal(() => checkAccessBeforeValidation(allScopes('read', 'write'), caller)).challenge,
    ).toEqual({ scheme: 'Bearer', error: 'insufficient_scope', scope: ['write'] })
    expect(refusal(() => checkAccessBeforeValidation(anyScope('root'), null)).challenge).toEqual({
      scheme: 'Bearer',
    })
  })

  it('is absent from errors that are not about credentials', () => {
    expect(new ActionError('FORBIDDEN', 'No').challenge).toBeUndefined()
    expect(new ActionError('INVALID_PARAMS').challenge).toBeUndefined()
  })
})
