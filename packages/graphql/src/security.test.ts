import { UnsecuredJWT, SignJWT, type JWTPayload } from 'jose'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, postGraphQL, TEST_SECRET } from './test-app.ts'

// RFC 8725 attack matrix through GraphQL: core verifies, the adapter only passes the header on,
// so every bad token must come back as UNAUTHENTICATED with the same reason as over REST.
// (Key confusion and unknown JWKS keys need other key setups; core and REST test those.)
const now = (): number => Math.floor(Date.now() / 1000)
const hs256 = (payload: JWTPayload, secret = TEST_SECRET): Promise<string> =>
  new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret))
const tamper = (token: string, part: 1 | 2): string =>
  token
    .split('.')
    .map((piece, index) =>
      index === part ? `${piece.slice(0, -2)}${piece.endsWith('AA') ? 'BB' : 'AA'}` : piece,
    )
    .join('.')

let app: FastifyInstance
beforeAll(async () => {
  app = (await buildTestApp()).app
})
afterAll(() => app.close())

const root = { sub: 'ada', scope: 'root' }

describe('the attack matrix over GraphQL', () => {
  it.each([
    ['alg none', async () => new UnsecuredJWT(root).encode(), 'algorithm_not_allowed'],
    ['expired', async () => hs256({ ...root, exp: now() - 60 }), 'token_expired'],
    ['not yet valid', async () => hs256({ ...root, nbf: now() + 600 }), 'token_not_yet_valid'],
    ['tampered payload', async () => tamper(await hs256(root), 1), 'invalid_signature'],
    ['tampered signature', async () => tamper(await hs256(root), 2), 'invalid_signature'],
    [
      'another secret',
      async () => hs256(root, 'another-secret-that-is-long-enough-for-hs256'),
      'invalid_signature',
    ],
    ['garbage', async () => 'garbage', 'malformed_token'],
    ['a 100 KB token', async () => 'a'.repeat(100_000), 'token_too_large'],
  ])('refuses %s with UNAUTHENTICATED, never a 5xx', async (_label, makeToken, reason) => {
    const response = await postGraphQL(
      app,
      { query: '{ whoami }' },
      { authorization: `Bearer ${await makeToken()}` },
    )
    expect(response.status).toBeLessThan(500)
    expect(response.body.data?.['whoami'] ?? null).toBeNull()
    expect(response.body.errors?.[0]?.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      status: 401,
      data: { reason },
    })
  })

  it('refuses two Bearer tokens in one header', async () => {
    const token = await hs256(root)
    const response = await postGraphQL(
      app,
      { query: '{ whoami }' },
      { authorization: `Bearer ${token}, Bearer ${token}` },
    )
    expect(response.body.errors?.[0]?.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      data: { reason: 'malformed_header' },
    })
  })

  it('never reads a token from the query string', async () => {
    const token = await hs256(root)
    const response = await app.inject({
      url: `/graphql?query=${encodeURIComponent('{ whoami }')}&access_token=${token}`,
      headers: { accept: 'application/json' },
    })
    const body = response.json() as { errors?: Array<{ extensions?: Record<string, unknown> }> }
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      data: { reason: 'missing_token' },
    })
  })

  it('accepts the valid token', async () => {
    const response = await postGraphQL(
      app,
      { query: '{ whoami }' },
      { authorization: `Bearer ${await hs256(root)}` },
    )
    expect(response.body).toEqual({ data: { whoami: 'ada' } })
  })
})

describe('the challenge of a refused call', () => {
  const ask = (headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/graphql',
      payload: { query: '{ whoami }' },
      headers: { accept: 'application/json', ...headers },
    })

  it('sends WWW-Authenticate with a 401, as REST does (RFC 6750 §3)', async () => {
    const none = await ask()
    expect(none.statusCode).toBe(401)
    expect(none.headers['www-authenticate']).toBe('Bearer realm="servey"')
    const bad = await ask({ authorization: 'Bearer x.y.z' })
    expect(bad.statusCode).toBe(401)
    expect(bad.headers['www-authenticate']).toBe(
      'Bearer realm="servey", error="invalid_token", error_description="The bearer token is not a well-formed JWT"',
    )
    // The header's source is not left in the body.
    expect(JSON.stringify(bad.json())).not.toContain('www-authenticate')
  })

  it('names the missing scope with a 403', async () => {
    const response = await ask({
      authorization: `Bearer ${await hs256({ sub: 'bob', scope: 'read' })}`,
    })
    expect(response.statusCode).toBe(403)
    expect(response.headers['www-authenticate']).toBe(
      'Bearer realm="servey", error="insufficient_scope", scope="root"',
    )
  })
})
