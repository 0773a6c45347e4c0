import { createPublicKey } from 'node:crypto'
import type { KMSClient } from '@aws-sdk/client-kms'
import {
  ActionError,
  createJwtAuthenticator,
  type Authenticator,
  type JwtAuthenticatorOptions,
} from '@servey/core'
import { kmsClient } from './kms-client.ts'

export interface KmsAuthenticatorOptions {
  /** The key: an id, an ARN, or an alias (`alias/my-app-tokens`). */
  readonly keyId: string
  /** Default: a KMSClient for the function's region and role. */
  readonly client?: KMSClient
  readonly issuer?: JwtAuthenticatorOptions['issuer']
  readonly audience?: JwtAuthenticatorOptions['audience']
  readonly clockTolerance?: number
}

/**
 * Verifies RS256 tokens signed by an AWS KMS key (`createKmsTokenIssuer`). The public key is
 * fetched with GetPublicKey once per container and verification is local (core's JWT
 * authenticator, the same checks as everywhere), so a request costs no KMS call. If KMS cannot
 * be reached the call fails with UNAVAILABLE and the next one tries again.
 */
export function createKmsAuthenticator(options: KmsAuthenticatorOptions): Authenticator {
  let verifier: Promise<Authenticator> | undefined
  const load = async (): Promise<Authenticator> => {
    const { GetPublicKeyCommand } = await import('@aws-sdk/client-kms')
    const client = options.client ?? (await kmsClient())
    let der: Uint8Array | undefined
    try {
      der = (await client.send(new GetPublicKeyCommand({ KeyId: options.keyId }))).PublicKey
    } catch (error) {
      throw new ActionError('UNAVAILABLE', 'The token key could not be fetched from AWS KMS', {
        cause: error,
      })
    }
    if (der === undefined) {
      throw new ActionError('UNAVAILABLE', 'AWS KMS returned no public key for the token key')
    }
    const pem = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' })
      .export({ type: 'spki', format: 'pem' })
      .toString()
    return createJwtAuthenticator({
      publicKey: pem,
      algorithms: ['RS256'],
      ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
      ...(options.audience === undefined ? {} : { audience: options.audience }),
      ...(options.clockTolerance === undefined ? {} : { clockTolerance: options.clockTolerance }),
    })
  }
  return {
    async authenticate(token) {
      const pending = (verifier ??= load())
      try {
        return await (await pending).authenticate(token)
      } catch (error) {
        // A failed fetch is not remembered: KMS may answer the next call.
        if (verifier === pending && (error as ActionError).code === 'UNAVAILABLE') {
          verifier = undefined
        }
        throw error
      }
    },
  }
}
