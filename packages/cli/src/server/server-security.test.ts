import { createJwtIssuer } from '@servey/core'
import { exportSPKI, generateKeyPair, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { devTokenWanted, serverSecurity } from './server-security.ts'

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256!'

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
