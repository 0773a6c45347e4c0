import { generateKeyPairSync, sign } from 'node:crypto'
import {
  GetPublicKeyCommand,
  KMSClient,
  SignCommand,
  type SignCommandInput,
} from '@aws-sdk/client-kms'
import { action, anyScope, Type } from '@servey/core'
import { mockClient } from 'aws-sdk-client-mock'
import { importSPKI, jwtVerify } from 'jose'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { createLambdaHandler } from '../runtime/create-lambda-handler.ts'
import { createKmsAuthenticator } from './kms-authenticator.ts'
import { createKmsTokenIssuer } from './kms-token-issuer.ts'

// AWS KMS has no emulator that runs here: aws-sdk-client-mock answers the SDK's commands, with
// a real RSA key pair doing what KMS would do with its own.
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const der = publicKey.export({ type: 'spki', format: 'der' })
const kms = mockClient(KMSClient)
const KEY = 'alias/shop-dev-tokens'

beforeEach(() => {
  kms.reset()
  kms.on(GetPublicKeyCommand, { KeyId: KEY }).resolves({ PublicKey: new Uint8Array(der) })
  kms.on(SignCommand, { KeyId: KEY }).callsFake((input: SignCommandInput) => {
    expect(input).toMatchObject({
      MessageType: 'RAW',
      SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
    })
    return { Signature: new Uint8Array(sign('sha256', input.Message as Uint8Array, privateKey)) }
  })
})
afterAll(() => kms.restore())

const client = () => new KMSClient({ region: 'us-east-1' })

describe('tokens signed by an AWS KMS key', () => {
  it('are standard RS256 JWTs that any library verifies with the public key', async () => {
    const issuer = createKmsTokenIssuer({ keyId: KEY, client: client(), issuer: 'shop' })
    const { token, expiresIn } = await issuer.issue({ subject: 'alice', scopes: ['root', 'read'] })
    expect(expiresIn).toBe(3600)
    expect(token).not.toContain('=')
    const { payload, protectedHeader } = await jwtVerify(
      token,
      await importSPKI(publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'RS256'),
    )
    expect(protectedHeader).toEqual({ alg: 'RS256', typ: 'JWT', kid: KEY })
    expect(payload).toMatchObject({ sub: 'alice', scope: 'root read', iss: 'shop' })
  })

  it('verify locally, fetching the public key once', async () => {
    const issuer = createKmsTokenIssuer({ keyId: KEY, client: client() })
    const authenticator = createKmsAuthenticator({ keyId: KEY, client: client() })
    for (const subject of ['alice', 'bob']) {
      const { token } = await issuer.issue({ subject, scopes: ['root'] })
      await expect(authenticator.authenticate(token)).resolves.toMatchObject({
        subject,
        scopes: ['root'],
      })
    }
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(1)
    const { token } = await issuer.issue({ subject: 'mallory', scopes: [] })
    const [header, payload, signature] = token.split('.') as [string, string, string]
    const forged = Buffer.from(JSON.stringify({ sub: 'mallory', scope: 'root' })).toString(
      'base64url',
    )
    await expect(
      authenticator.authenticate(`${header}.${forged}.${signature}`),
    ).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
    expect(payload).not.toBe(forged)
  })

  it('fail with UNAVAILABLE while KMS cannot be reached, and recover', async () => {
    kms
      .on(GetPublicKeyCommand, { KeyId: KEY })
      .rejectsOnce(new Error('connect ETIMEDOUT'))
      .resolves({ PublicKey: new Uint8Array(der) })
    const authenticator = createKmsAuthenticator({ keyId: KEY, client: client() })
    const { token } = await createKmsTokenIssuer({ keyId: KEY, client: client() }).issue({
      subject: 'alice',
      scopes: [],
    })
    await expect(authenticator.authenticate(token)).rejects.toMatchObject({ code: 'UNAVAILABLE' })
    await expect(authenticator.authenticate(token)).resolves.toMatchObject({ subject: 'alice' })
    kms.on(SignCommand).rejects(new Error('AccessDeniedException'))
    await expect(
      createKmsTokenIssuer({ keyId: 'alias/other', client: client() }).issue({
        subject: 'a',
        scopes: [],
      }),
    ).rejects.toMatchObject({ code: 'UNAVAILABLE' })
  })

  it('are what a Lambda function accepts when JWT_KMS_KEY_ID is set', async () => {
    const only_for_root = action(
      { access: anyScope('root'), result: Type.String() },
      (_params, { authorization }) => `Hello ${authorization?.subject ?? '?'}`,
    )
    const handler = createLambdaHandler({
      actions: { only_for_root },
      action: 'only_for_root',
      env: { JWT_KMS_KEY_ID: KEY, LOG_LEVEL: 'silent' },
    })
    const { token } = await createKmsTokenIssuer({ keyId: KEY }).issue({
      subject: 'alice',
      scopes: ['root'],
    })
    await expect(handler({ params: {}, authorization: token })).resolves.toBe('Hello alice')
    const both = createLambdaHandler({
      actions: { only_for_root },
      env: { JWT_KMS_KEY_ID: KEY, JWT_SECRET_KEY: 'x'.repeat(32), LOG_LEVEL: 'silent' },
    })
    await expect(both({ action: 'only_for_root', params: {} })).rejects.toMatchObject({
      code: 'SERVEY_ERR_AUTH_KEY_CONFIG',
    })
  })
})
