import { ActionError } from '@servey/core/adapter'
import { describe, expect, it } from 'vitest'
import { formatChallenge, PROBLEM_CONTENT_TYPE, problemResponse } from './problem-response.ts'

describe('formatChallenge (RFC 6750 §3)', () => {
  it('names the realm, servey by default', () => {
    expect(formatChallenge({ scheme: 'Bearer' })).toBe('Bearer realm="servey"')
    expect(formatChallenge({ scheme: 'Bearer' }, 'shop')).toBe('Bearer realm="shop"')
  })

  it('adds the error, its description and the scopes that would be enough, in that order', () => {
    expect(
      formatChallenge({
        scheme: 'Bearer',
        error: 'insufficient_scope',
        description: 'Needs one of the scopes',
        scope: ['orders:read', 'admin'],
      }),
    ).toBe(
      'Bearer realm="servey", error="insufficient_scope", error_description="Needs one of the scopes", scope="orders:read admin"',
    )
    expect(formatChallenge({ scheme: 'Bearer', error: 'invalid_token' })).toBe(
      'Bearer realm="servey", error="invalid_token"',
    )
  })

  it('keeps printable ASCII in quoted values and drops quotes, backslashes and the rest', () => {
    expect(
      formatChallenge({ scheme: 'Bearer', description: ' !#[]~"\\é\n\x1f\x7fend' }, 'a"b\\c'),
    ).toBe('Bearer realm="abc", error_description=" !#[]~end"')
  })
})

describe('problemResponse', () => {
  it('answers the status of the error with a problem+json body', () => {
    const response = problemResponse(new ActionError('NOT_FOUND', 'No such order'))
    expect(response.status).toBe(404)
    expect(response.headers).toEqual({ 'content-type': PROBLEM_CONTENT_TYPE })
    expect(PROBLEM_CONTENT_TYPE).toBe('application/problem+json; charset=utf-8')
    expect(JSON.parse(String(response.body))).toEqual({
      type: expect.any(String),
      title: 'Not Found',
      status: 404,
      detail: 'No such order',
      code: 'NOT_FOUND',
    })
  })

  it('names the request, when it has an id', () => {
    const response = problemResponse(new ActionError('BAD_REQUEST', 'x'), { requestId: 'req-7' })
    expect(JSON.parse(String(response.body))).toMatchObject({ requestId: 'req-7' })
  })

  it('masks an unexpected error but in dev mode', () => {
    const error = new ActionError('INTERNAL', 'db password is hunter2')
    const masked = JSON.parse(String(problemResponse(error).body)) as Record<string, unknown>
    expect(masked).toMatchObject({ status: 500, detail: 'An unexpected error occurred.' })
    expect(masked).not.toHaveProperty('stack')
    expect(JSON.parse(String(problemResponse(error, { dev: false }).body))).toEqual(masked)
    const dev = JSON.parse(String(problemResponse(error, { dev: true }).body)) as Record<
      string,
      unknown
    >
    expect(dev).toMatchObject({ detail: 'db password is hunter2', stack: expect.any(String) })
  })

  it('adds extra headers, but never lets them change the content type', () => {
    const response = problemResponse(
      new ActionError('UNAVAILABLE', 'Busy'),
      {},
      { 'retry-after': '5', 'content-type': 'text/html' },
    )
    expect(response.headers).toEqual({ 'retry-after': '5', 'content-type': PROBLEM_CONTENT_TYPE })
  })

  it('carries the challenge core attached as WWW-Authenticate, in the configured realm', () => {
    const error = new ActionError('UNAUTHENTICATED', 'The token expired', {
      challenge: { scheme: 'Bearer', error: 'invalid_token', description: 'The token expired' },
    })
    const expected =
      'Bearer realm="shop", error="invalid_token", error_description="The token expired"'
    const response = problemResponse(error, { realm: 'shop' })
    expect(response.status).toBe(401)
    expect(response.headers['www-authenticate']).toBe(expected)
    expect(problemResponse(error).headers['www-authenticate']).toBe(
      'Bearer realm="servey", error="invalid_token", error_description="The token expired"',
    )
  })
})
