import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createJwtIssuer } from '@servey/core'
import { exportSPKI, generateKeyPair, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { devTokenWanted, jwtOptionsFromEnv, serverSecurity } from './server-security.ts'

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256!'

describe('jwtOptionsFromEnv', () => {
  it('generates a secret when no key is configured', () => {
    const { options, generatedSecret } = jwtOptionsFromEnv({})
    expect(generatedSecret).toHaveLength(43)
    expect(options).toEqual({ secret: generatedSecret })
  })

  it('reads every JWT_* setting', () => {
    const env = {
      JWT_SECRET_KEY: SECRET,
      JWT_ALGORITHMS: 'HS256, HS512',
      JWT_ISSUER: 'me',
      JWT_AUDIENCE: 'a,b',
      JWT_CLOCK_TOLERANCE: '30',
    }
    expect(jwtOptionsFromEnv(env)).toEqual({
      options: {
        secret: SECRET,
        algorithms: ['HS256', 'HS512'],
        issuer: 'me',
        audience: ['a', 'b'],
        clockTolerance: 30,
      },
    })
  })

  it('reads a PEM from the variable or from a file', async () => {
    const { publicKey } = await generateKeyPair('ES256', { extractable: true })
    const pem = await exportSPKI(publicKey)
    expect(jwtOptionsFromEnv({ JWT_PUBLIC_KEY: pem, JWT_ALGORITHMS: 'ES256' }).options).toEqual({
      publicKey: pem,
      algorithms: ['ES256'],
    })
    const file = join(await mkdtemp(join(tmpdir(), 'servey-pem-')), 'key.pem')
    await writeFile(file, pem)
    expect(jwtOptionsFromEnv({ JWT_PUBLIC_KEY: file }).options).toEqual({ publicKey: pem })
  })

  it('refuses values it cannot use, with a coded error', () => {
    expect(() => jwtOptionsFromEnv({ JWT_CLOCK_TOLERANCE: 'soon' })).toThrow(
      expect.objectContaining({ code: 'SERVEY_ERR_CLI_ENV_INVALID' }),
    )
    expect(() => jwtOptionsFromEnv({ JWT_PUBLIC_KEY: '/no/such/key.pem' })).toThrow(
      expect.objectContaining({ code: 'SERVEY_ERR_CLI_ENV_INVALID' }),
    )
  })
})

describe('devTokenWanted', () => {
  it('is on in dev, off in start and in production, unless SERVEY_DEV_TOKEN says otherwise', () => {
    expect(devTokenWanted({}, 'dev')).toBe(true)
    expect(devTokenWanted({ NODE_ENV: 'production' }, 'dev')).toBe(false)
    expect(devTokenWanted({}, 'start')).toBe(false)
    expect(devTokenWanted({ SERVEY_DEV_TOKEN: '1', NODE_ENV: 'production' }, 'start')).toBe(true)
    expect(devTokenWanted({ SERVEY_DEV_TOKEN: '0' }, 'dev')).toBe(false)
  })
})

describe('serverSecurity', () => {
  it('signs dev tokens with SERVEY_DEV_PASSWORD and the same secret the authenticator checks', async () => {
    const security = await serverSecurity(
      { JWT_SECRET_KEY: SECRET, SERVEY_DEV_PASSWORD: 'pw' },
      { devToken: true },
    )
    expect(security.devToken?.password).toBe('pw')
    const { token } = await (
      security.devToken?.issuer ?? createJwtIssuer({ secret: SECRET })
    ).issue({ subject: 'ada', scopes: ['root'] })
    expect(await security.authenticator.authenticate(token)).toMatchObject({
      subject: 'ada',
      scopes: ['root'],
    })
  })

  it('turns the token endpoint off when tokens are verified with a public key', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true })
    const security = await serverSecurity(
      { JWT_PUBLIC_KEY: await exportSPKI(publicKey) },
      { devToken: true },
    )
    expect(security.devToken).toBeUndefined()
    expect(security.devTokenUnavailable).toContain('public key')
    const token = await new SignJWT({ sub: 'ada' })
      .setProtectedHeader({ alg: 'RS256' })
      .sign(privateKey)
    expect((await security.authenticator.authenticate(token)).subject).toBe('ada')
  })

  it('refuses two key sources at once', async () => {
    const { publicKey } = await generateKeyPair('RS256', { extractable: true })
    await expect(
      serverSecurity(
        { JWT_SECRET_KEY: SECRET, JWT_PUBLIC_KEY: await exportSPKI(publicKey) },
        { devToken: false },
      ),
    ).rejects.toMatchObject({ code: 'SERVEY_ERR_AUTH_KEY_CONFIG' })
  })
})
