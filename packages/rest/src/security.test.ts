import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  UnsecuredJWT,
  type JWTPayload,
} from 'jose'
import { createServer as createHttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildSecureApp, DEV_PASSWORD, SECRET } from './test-secure-app.ts'

const now = (): number => Math.floor(Date.now() / 1000)
const hs256 = (payload: JWTPayload, secret = SECRET): Promise<string> =>
  new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret))
const tamper = (token: string, part: 1 | 2): string =>
  token
    .split('.')
    .map((piece, index) =>
      index === part ? `${piece.slice(0, -2)}${piece.endsWith('AA') ? 'BB' : 'AA'}` : piece,
    )
    .join('.')

let app: FastifyInstance
beforeAll(async () => {
  app = await buildSecureApp({ secret: SECRET, issuer: 'servey', audience: 'api' })
})
afterAll(() => app.close())

const good = { sub: 'ada', iss: 'servey', aud: 'api' }
const get = (url: string, token?: string) =>
  app.inject({
    url,
    ...(token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } }),
  })

describe('access control over REST', () => {
  it('answers 401 with a Bearer challenge without a token', async () => {
    const response = await get('/actions/only-for-root')
    expect(response.statusCode).toBe(401)
    expect(response.headers['www-authenticate']).toBe('Bearer realm="servey"')
    expect(response.json()).toMatchObject({
      code: 'UNAUTHENTICATED',
      data: { reason: 'missing_token' },
    })
  })

  it('answers 403 insufficient_scope with a token lacking root', async () => {
    const response = await get('/actions/only-for-root', await hs256({ ...good, scope: 'read' }))
    expect(response.statusCode).toBe(403)
    expect(response.headers['www-authenticate']).toBe(
      'Bearer realm="servey", error="insufficient_scope", scope="root"',
    )
    expect(response.json().code).toBe('FORBIDDEN')
  })

  it('answers 200 with root', async () => {
    const response = await get('/actions/only-for-root', await hs256({ ...good, scope: 'root' }))
    expect(response.statusCode).toBe(200)
    expect(response.json()).toBe('Some Secret Data!')
  })

  it('echoes the verified authorization', async () => {
    const response = await get(
      '/actions/echo-authorization',
      await hs256({ ...good, scope: 'a b' }),
    )
    expect(response.json()).toMatchObject({
      subject: 'ada',
      scopes: ['a', 'b'],
      claims: { iss: 'servey' },
    })
  })
})

describe('RFC 8725 attack matrix over REST', () => {
  it.each([
    [
      'alg none',
      async () => new UnsecuredJWT({ ...good, scope: 'root' }).encode(),
      'algorithm_not_allowed',
    ],
    ['expired', async () => hs256({ ...good, scope: 'root', exp: now() - 60 }), 'token_expired'],
    [
      'not yet valid',
      async () => hs256({ ...good, scope: 'root', nbf: now() + 600 }),
      'token_not_yet_valid',
    ],
    ['wrong issuer', async () => hs256({ ...good, scope: 'root', iss: 'evil' }), 'invalid_issuer'],
    [
      'wrong audience',
      async () => hs256({ ...good, scope: 'root', aud: 'other' }),
      'invalid_audience',
    ],
    [
      'tampered payload',
      async () => tamper(await hs256({ ...good, scope: 'root' }), 1),
      'invalid_signature',
    ],
    [
      'tampered signature',
      async () => tamper(await hs256({ ...good, scope: 'root' }), 2),
      'invalid_signature',
    ],
    ['garbage', async () => 'garbage', 'malformed_token'],
  ])('refuses %s with 401 on protected and public actions', async (_label, makeToken, reason) => {
    const token = await makeToken()
    for (const url of ['/actions/only-for-root', '/actions/public-info']) {
      const response = await get(url, token)
      expect(response.statusCode).toBe(401)
      expect(response.headers['content-type']).toContain('application/problem+json')
      expect(response.headers['www-authenticate']).toContain('error="invalid_token"')
      expect(response.json()).toMatchObject({ code: 'UNAUTHENTICATED', data: { reason } })
    }
  })

  it('refuses two Bearer tokens in one header', async () => {
    const token = await hs256({ ...good, scope: 'root' })
    const response = await app.inject({
      url: '/actions/only-for-root',
      headers: { authorization: `Bearer ${token}, Bearer ${token}` },
    })
    expect(response.statusCode).toBe(401)
    expect(response.json().data.reason).toBe('malformed_header')
  })

  it('ignores a token in the query string', async () => {
    const token = await hs256({ ...good, scope: 'root' })
    const response = await app.inject({ url: `/actions/only-for-root?access_token=${token}` })
    expect(response.statusCode).toBe(401)
    expect(response.json().data.reason).toBe('missing_token')
  })

  it('refuses a 100 KB token over a real socket with a 401, not the parser 431', async () => {
    const base = await app.listen({ port: 0, host: '127.0.0.1' })
    const response = await fetch(`${base}/actions/only-for-root`, {
      headers: { authorization: `Bearer ${'a'.repeat(100_000)}` },
    })
    expect(response.status).toBe(401)
    expect(((await response.json()) as { data: { reason: string } }).data.reason).toBe(
      'token_too_large',
    )
  })

  it('refuses an HS256 token signed with the RSA public key (key confusion)', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
    const pem = await exportSPKI(publicKey)
    const rsaApp = await buildSecureApp({ publicKey: pem, algorithms: ['RS256'] })
    const signed = await new SignJWT({ sub: 'ada', scope: 'root' })
      .setProtectedHeader({ alg: 'RS256' })
      .sign(privateKey)
    expect(
      (
        await rsaApp.inject({
          url: '/actions/only-for-root',
          headers: { authorization: `Bearer ${signed}` },
        })
      ).statusCode,
    ).toBe(200)
    const confused = await hs256({ sub: 'mallory', scope: 'root' }, pem)
    const response = await rsaApp.inject({
      url: '/actions/only-for-root',
      headers: { authorization: `Bearer ${confused}` },
    })
    expect(response.statusCode).toBe(401)
    expect(response.json().data.reason).toBe('algorithm_not_allowed')
    await rsaApp.close()
  })

  it('refuses an unknown kid with JWKS', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
    const jwk = { ...(await exportJWK(publicKey)), kid: 'known', alg: 'ES256' }
    const jwks = createHttpServer((_request, response) =>
      response.end(JSON.stringify({ keys: [jwk] })),
    )
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks`
    const jwksApp = await buildSecureApp({ jwksUrl: url })
    const sign = (kid: string) =>
      new SignJWT({ sub: 'ada', scope: 'root' })
        .setProtectedHeader({ alg: 'ES256', kid })
        .sign(privateKey)
    expect(
      (
        await jwksApp.inject({
          url: '/actions/only-for-root',
          headers: { authorization: `Bearer ${await sign('known')}` },
        })
      ).statusCode,
    ).toBe(200)
    const response = await jwksApp.inject({
      url: '/actions/only-for-root',
      headers: { authorization: `Bearer ${await sign('unknown')}` },
    })
    expect(response.statusCode).toBe(401)
    expect(response.json().data.reason).toBe('unknown_key')
    await jwksApp.close()
    await new Promise((resolve) => jwks.close(resolve))
  })
})

describe('POST /token (dev token endpoint)', () => {
  const form = (fields: Record<string, string>) => ({
    method: 'POST' as const,
    url: '/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  })

  it('grants the requested scopes, and the token works', async () => {
    const tokenApp = await buildSecureApp()
    const response = await tokenApp.inject(
      form({ grant_type: 'password', username: 'ada', password: DEV_PASSWORD, scope: 'root read' }),
    )
    expect(response.statusCode).toBe(200)
    expect(response.headers['cache-control']).toBe('no-store')
    const body = response.json()
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 3600, scope: 'root read' })
    const secret = await tokenApp.inject({
      url: '/actions/only-for-root',
      headers: { authorization: `Bearer ${body.access_token}` },
    })
    expect(secret.json()).toBe('Some Secret Data!')
    await tokenApp.close()
  })

  it.each([
    [
      'a wrong password',
      { grant_type: 'password', username: 'ada', password: 'nope' },
      'invalid_grant',
    ],
    ['another grant type', { grant_type: 'client_credentials' }, 'unsupported_grant_type'],
    ['no username', { grant_type: 'password', password: DEV_PASSWORD }, 'invalid_request'],
  ])('refuses %s with an OAuth error', async (_label, fields, error) => {
    const tokenApp = await buildSecureApp()
    const response = await tokenApp.inject(form(fields as Record<string, string>))
    expect(response.statusCode).toBe(400)
    expect(response.json().error).toBe(error)
    await tokenApp.close()
  })

  it('takes form fields only, and action routes still refuse forms', async () => {
    const tokenApp = await buildSecureApp()
    const json = await tokenApp.inject({
      method: 'POST',
      url: '/token',
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    })
    expect(json.json().error).toBe('invalid_request')
    await tokenApp.close()
  })

  it('limits attempts per client', async () => {
    const tokenApp = await buildSecureApp(undefined, {
      devToken: {
        password: DEV_PASSWORD,
        issuer: { issue: async () => ({ token: 't', expiresIn: 1 }) },
        maxAttemptsPerMinute: 3,
      },
    })
    const statuses: number[] = []
    for (let attempt = 0; attempt < 5; attempt++) {
      statuses.push(
        (
          await tokenApp.inject(
            form({ grant_type: 'password', username: 'ada', password: 'guess' }),
          )
        ).statusCode,
      )
    }
    expect(statuses).toEqual([400, 400, 400, 429, 429])
    await tokenApp.close()
  })

  it('is absent unless configured', async () => {
    const noToken = await buildSecureApp(undefined, { devToken: undefined })
    expect((await noToken.inject(form({ grant_type: 'password' }))).statusCode).toBe(404)
    await noToken.close()
  })
})

describe('OpenAPI security', () => {
  it('documents bearer and the password flow, per-operation scopes, 401 and 403', async () => {
    const document = (await app.inject({ url: '/openapi.json' })).json()
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    })
    expect(document.components.securitySchemes.oauth2Password.flows.password).toEqual({
      tokenUrl: '/token',
      scopes: { root: 'Scope root' },
    })
    const operation = document.paths['/actions/only-for-root'].get
    expect(operation.security).toEqual([{ bearerAuth: [] }, { oauth2Password: ['root'] }])
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']))
    // Public: stated explicitly, so linters and clients know no credentials are needed.
    expect(document.paths['/actions/public-info'].get.security).toEqual([])
    const { Validator } = await import('@seriousme/openapi-schema-validator')
    expect((await new Validator().validate(document)).valid).toBe(true)
  })
})
