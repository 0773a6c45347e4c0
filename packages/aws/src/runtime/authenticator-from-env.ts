import {
  createJwtAuthenticator,
  definitionErrors,
  jwtOptionsFromEnv,
  type Authenticator,
} from '@servey/core'

/**
 * The token keys of a Lambda function: the JWT_* settings `servey start` reads, plus
 * JWT_KMS_KEY_ID for a key held by AWS KMS (`servey sls --kms` creates one and sets it).
 * Without any key a server makes one up per process; on Lambda every container would have its
 * own, so no token could ever verify: no token is accepted instead (401 `no_authenticator`).
 */
export async function authenticatorFromEnv(
  env: NodeJS.ProcessEnv,
): Promise<Authenticator | undefined> {
  const { options, generatedSecret } = jwtOptionsFromEnv(env)
  const kmsKeyId = env['JWT_KMS_KEY_ID']
  if (kmsKeyId !== undefined && kmsKeyId !== '') {
    if (generatedSecret === undefined) throw definitionErrors.SERVEY_ERR_AUTH_KEY_CONFIG('2')
    // Loaded only here: a function without a KMS key never loads the KMS code or SDK.
    const { createKmsAuthenticator } = await import('../kms/kms-authenticator.ts')
    return createKmsAuthenticator({
      keyId: kmsKeyId,
      ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
      ...(options.audience === undefined ? {} : { audience: options.audience }),
      ...(options.clockTolerance === undefined ? {} : { clockTolerance: options.clockTolerance }),
    })
  }
  return generatedSecret === undefined ? createJwtAuthenticator(options) : undefined
}
