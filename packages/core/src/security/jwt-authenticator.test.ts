import { SignJWT, UnsecuredJWT } from 'jose'
import { afterAll, describe, expect, it } from 'vitest'
import { createJwtAuthenticator } from './jwt-authenticator.ts'
import { createJwtIssuer } from './jwt-issuer.ts'
import { hs256, jwksServer, now, rs256, rsaKeys, SECRET } from './test-keys.fixture.ts'

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return 'accepted'
  } catch (error) {
    const actionError = error as { code: string; data?: { reason: string } }
    return actionError.data?.reason ?? actionError.code
  }
}

function tamper(token: string, part: 1 | 2): string {
  const pieces = token.split('.')
  const piece = pieces[part] as string
  pieces[part] = `${piece.slice(0, -2)}${piece.endsWith('AA') ? 'BB' : 'AA'}`
  return pieces.join('.')
}

describe('createJwtAuthenticator with a shared secret', () => {
  const authenticator = createJwtAuthenticator({
    secret: SECRET,
    issuer: 'servey',
    audience: 'api',
  })
  const good = { sub: 'ada', scope: 'root', iss: 'servey', aud: 'api' }

  it('accepts a valid token and maps its claims', async () => {
    const authorization = await (
      await authenticator
    ).authenticate(await hs256({ ...good, exp: now() + 60 }))
    expect(authorization).toMatchObject({ subject: 'ada', scopes: ['root'] })
  })

  it('accepts what createJwtIssuer signs', async () => {
    const { token, expiresIn } = await createJwtIssuer({
      secret: SECRET,
      issuer: 'servey',
      audience: 'api',
    }).issue({ subject: 'ada', scopes: ['a', 'b'] })
    expect(expiresIn).toBe(3600)
    expect((await (await authenticator).authenticate(token)).scopes).toEqual(['a', 'b'])
  })

  // RFC 8725 attack matrix at the core level; adapters repeat it through their transports.
  it.each([
    ['alg none', async () => new UnsecuredJWT(good).encode(), 'algorithm_not_allowed'],
    ['expired', async () => hs256({ ...good, exp: now() - 60 }), 'token_expired'],
    ['not yet valid', async () => hs256({ ...good, nbf: now() + 600 }), 'token_not_yet_valid'],
    ['wrong issuer', async () => hs256({ ...good, iss: 'evil' }), 'invalid_issuer'],
    ['wrong audience', async () => hs256({ ...good, aud: 'other' }), 'invalid_audience'],
    ['missing issuer', async () => hs256({ sub: 'ada', aud: 'api' }), 'invalid_issuer'],
    ['a tampered payload', async () => tamper(await hs256(good), 1), 'invalid_signature'],
    ['a tampered signature', async () => tamper(await hs256(good), 2), 'invalid_signature'],
    [
      'another secret',
      async () => hs256(good, 'another-secret-that-is-also-long-enough!!'),
      'invalid_signature',
    ],
    ['garbage', async () => 'not.a.jwt', 'malformed_token'],
    [
      'an RS256 token',
      async () => rs256(good, (await rsaKeys()).privateKey),
      'algorithm_not_allowed',
    ],
  ])('refuses %s', async (_label, makeToken, reason) => {
    expect(await reasonOf((await authenticator).authenticate(await makeToken()))).toBe(reason)
  })

  it('verifies a token once, then serves it from its cache until it expires', async () => {
    const cached = await createJwtAuthenticator({ secret: SECRET })
    const token = await hs256({ sub: 'ada', exp: now() + 60 })
    const first = await cached.authenticate(token)
    expect(await cached.authenticate(token)).toBe(first)
    // A cached token is still checked for expiry on every hit.
    const strict = await createJwtAuthenticator({ secret: SECRET, clockTolerance: 0 })
    const expiring = await hs256({ sub: 'ada', exp: now() + 1 })
    await strict.authenticate(expiring)
    await new Promise((resolve) => setTimeout(resolve, 2100))
    expect(await reasonOf(strict.authenticate(expiring))).toBe('token_expired')
  })

  it('refuses configurations that invite attacks', async () => {
    await expect(createJwtAuthenticator({ secret: 'short' })).rejects.toMatchObject({
      code: 'SERVEY_ERR_AUTH_SECRET_TOO_SHORT',
    })
    await expect(
      createJwtAuthenticator({ secret: SECRET, algorithms: ['RS256'] }),
    ).rejects.toMatchObject({ code: 'SERVEY_ERR_AUTH_ALGORITHM_INVALID' })
    await expect(createJwtAuthenticator({})).rejects.toMatchObject({
      code: 'SERVEY_ERR_AUTH_KEY_CONFIG',
    })
    await expect(
      createJwtAuthenticator({ secret: SECRET, jwksUrl: 'http://127.0.0.1/' }),
    ).rejects.toMatchObject({ code: 'SERVEY_ERR_AUTH_KEY_CONFIG' })
  })
})

describe('createJwtAuthenticator with a public key', () => {
  it('accepts RS256 and refuses an HS256 token signed with the public key as secret (key confusion)', async () => {
    const { privateKey, publicPem } = await rsaKeys()
    const authenticator = await createJwtAuthenticator({
      publicKey: publicPem,
      algorithms: ['RS256'],
    })
    expect(
      (await authenticator.authenticate(await rs256({ sub: 'ada' }, privateKey))).subject,
    ).toBe('ada')
    const confused = await new SignJWT({ sub: 'mallory', scope: 'root' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(publicPem))
    expect(await reasonOf(authenticator.authenticate(confused))).toBe('algorithm_not_allowed')
    await expect(
      createJwtAuthenticator({ publicKey: publicPem, algorithms: ['HS256'] }),
    ).rejects.toMatchObject({ code: 'SERVEY_ERR_AUTH_ALGORITHM_INVALID' })
  })

  it('refuses a key that is not a PEM at start-up', async () => {
    await expect(createJwtAuthenticator({ publicKey: 'not a key' })).rejects.toMatchObject({
      code: 'SERVEY_ERR_AUTH_KEY_INVALID',
    })
  })
})

describe('createJwtAuthenticator with a JWKS URL', () => {
  const servers: Array<{ close: () => Promise<void> }> = []
  afterAll(async () => {
    for (const server of servers) await server.close()
  })

  it('verifies with the provider keys, refuses an unknown kid, and picks up a rotated key', async () => {
    const first = await rsaKeys()
    const jwks = await jwksServer([{ ...first.publicJwk, kid: 'k1' }])
    servers.push(jwks)
    const authenticator = await createJwtAuthenticator({ jwksUrl: jwks.url })
    expect(
      (await authenticator.authenticate(await rs256({ sub: 'ada' }, first.privateKey, 'k1')))
        .subject,
    ).toBe('ada')

    const stranger = await rsaKeys()
    expect(
      await reasonOf(
        authenticator.authenticate(await rs256({ sub: 'eve' }, stranger.privateKey, 'k9')),
      ),
    ).toBe('unknown_key')

    // Rotation: the provider publishes k2; a token signed with it is accepted after a refetch.
    const second = await rsaKeys()
    const rotated = await jwksServer([{ ...second.publicJwk, kid: 'k2' }])
    servers.push(rotated)
    const fresh = await createJwtAuthenticator({ jwksUrl: rotated.url })
    expect(
      (await fresh.authenticate(await rs256({ sub: 'bob' }, second.privateKey, 'k2'))).subject,
    ).toBe('bob')
    expect(rotated.fetches()).toBe(1)
  })

  it('answers 503 UNAVAILABLE when the provider cannot be reached', async () => {
    const { privateKey } = await rsaKeys()
    const authenticator = await createJwtAuthenticator({ jwksUrl: 'http://127.0.0.1:9/jwks.json' })
    await expect(
      authenticator.authenticate(await rs256({ sub: 'ada' }, privateKey, 'k1')),
    ).rejects.toMatchObject({ code: 'UNAVAILABLE', status: 503 })
  })
})
