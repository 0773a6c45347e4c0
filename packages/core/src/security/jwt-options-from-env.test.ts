import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exportSPKI, generateKeyPair } from 'jose'
import { describe, expect, it } from 'vitest'
import { jwtOptionsFromEnv } from './jwt-options-from-env.ts'

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
      expect.objectContaining({ code: 'SERVEY_ERR_AUTH_ENV_INVALID' }),
    )
    expect(() => jwtOptionsFromEnv({ JWT_PUBLIC_KEY: '/no/such/key.pem' })).toThrow(
      expect.objectContaining({ code: 'SERVEY_ERR_AUTH_ENV_INVALID' }),
    )
  })
})
