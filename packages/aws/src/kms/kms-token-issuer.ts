import type { KMSClient } from '@aws-sdk/client-kms'
import { ActionError, type TokenIssuer } from '@servey/core'
import { kmsClient } from './kms-client.ts'

export interface KmsTokenIssuerOptions {
  /** The key: an id, an ARN, or an alias. Its spec is RSA (`servey sls --kms` makes RSA_2048). */
  readonly keyId: string
  readonly client?: KMSClient
  readonly issuer?: string
  readonly audience?: string
  /** Seconds; default one hour. */
  readonly expiresIn?: number
}

const base64url = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64url')

/**
 * Signs tokens with an AWS KMS key: the private key never leaves KMS. jose signs only with
 * keys it holds, so the JWS is assembled here (RFC 7515 compact form, unpadded base64url,
 * unlike the original's padded one) and KMS signs its `header.payload` with
 * RSASSA_PKCS1_V1_5_SHA_256, which is RS256. `createKmsAuthenticator` verifies the result, as
 * does any JWT library given the key's public half.
 */
export function createKmsTokenIssuer(options: KmsTokenIssuerOptions): TokenIssuer {
  return {
    async issue({ subject, scopes, expiresIn = options.expiresIn ?? 3600 }) {
      const { SignCommand } = await import('@aws-sdk/client-kms')
      const client = options.client ?? (await kmsClient())
      const now = Math.floor(Date.now() / 1000)
      const header = { alg: 'RS256', typ: 'JWT', kid: options.keyId }
      const payload = {
        sub: subject,
        scope: scopes.join(' '),
        iat: now,
        exp: now + expiresIn,
        ...(options.issuer === undefined ? {} : { iss: options.issuer }),
        ...(options.audience === undefined ? {} : { aud: options.audience }),
      }
      const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`
      let signature: Uint8Array | undefined
      try {
        signature = (
          await client.send(
            new SignCommand({
              KeyId: options.keyId,
              Message: Buffer.from(signingInput),
              MessageType: 'RAW',
              SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
            }),
          )
        ).Signature
      } catch (error) {
        throw new ActionError('UNAVAILABLE', 'AWS KMS could not sign the token', { cause: error })
      }
      if (signature === undefined) {
        throw new ActionError('UNAVAILABLE', 'AWS KMS returned no signature')
      }
      return { token: `${signingInput}.${base64url(signature)}`, expiresIn }
    },
  }
}
