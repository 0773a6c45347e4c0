// jose is loaded when an authenticator is made, not when core is imported: commands that
// verify no token (`servey run`, `servey actions`) should not pay for it.
import type { CryptoKey, JWTVerifyGetKey, JWTVerifyOptions } from 'jose'
import type { Authorization } from '../action/context.ts'
import { ActionError, isActionError } from '../errors/action-error.ts'
import { definitionErrors } from '../errors/definition-errors.ts'
import type { Authenticator } from './authenticator.ts'
import { authorizationFromClaims } from './authorization-from-claims.ts'
import { unauthenticated, type UnauthenticatedReason } from './unauthenticated.ts'

export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const
const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512']
const MIN_SECRET_BYTES = 32

/** Exactly one key source: a shared secret, a public key, or a JWKS URL. */
export interface JwtAuthenticatorOptions {
  /** HMAC secret (HS256 by default), at least 32 bytes. */
  readonly secret?: string | Uint8Array
  /** An SPKI PEM public key; `algorithms` names its one algorithm (default RS256). */
  readonly publicKey?: string
  /** A JWKS endpoint of an identity provider; keys are cached and refetched on rotation. */
  readonly jwksUrl?: string | URL
  /** Accepted `alg` values; a token with any other is refused (no `none`, no key confusion). */
  readonly algorithms?: readonly string[]
  readonly issuer?: string | readonly string[]
  readonly audience?: string | readonly string[]
  /** Seconds of clock skew tolerated on `exp` and `nbf`. Default 5. */
  readonly clockTolerance?: number
  /** Verified tokens remembered (until they expire) so a token is verified once. Default 1000. */
  readonly cacheSize?: number
}

const REASON_BY_JOSE_CODE: Readonly<Record<string, UnauthenticatedReason>> = {
  ERR_JWT_EXPIRED: 'token_expired',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'invalid_signature',
  ERR_JOSE_ALG_NOT_ALLOWED: 'algorithm_not_allowed',
  ERR_JWKS_NO_MATCHING_KEY: 'unknown_key',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'unknown_key',
  ERR_JWS_INVALID: 'malformed_token',
  ERR_JWT_INVALID: 'malformed_token',
  ERR_JOSE_NOT_SUPPORTED: 'algorithm_not_allowed',
}

const REASON_BY_CLAIM: Readonly<Record<string, UnauthenticatedReason>> = {
  nbf: 'token_not_yet_valid',
  iss: 'invalid_issuer',
  aud: 'invalid_audience',
}

const DETAIL: Readonly<Record<UnauthenticatedReason, string>> = {
  missing_token: 'A bearer token is required',
  malformed_header: 'The Authorization header is malformed',
  token_too_large: 'The bearer token is too large',
  malformed_token: 'The bearer token is not a well-formed JWT',
  invalid_signature: 'The token signature is invalid',
  algorithm_not_allowed: 'The token algorithm is not allowed',
  token_expired: 'The token has expired',
  token_not_yet_valid: 'The token is not valid yet',
  invalid_issuer: 'The token issuer is not accepted',
  invalid_audience: 'The token audience is not accepted',
  invalid_claims: 'The token claims are invalid',
  unknown_key: 'The token was signed with an unknown key',
  no_authenticator: 'This server accepts no bearer tokens',
  invalid_token: 'The bearer token is invalid',
}

function toUnauthenticated(error: unknown): ActionError {
  if (isActionError(error)) return error
  const code = (error as { code?: string }).code ?? ''
  if (code === 'ERR_JWKS_TIMEOUT' || code === 'ERR_JWKS_INVALID' || error instanceof TypeError) {
    // The identity provider could not be reached: not the caller's fault, and worth a retry.
    return new ActionError('UNAVAILABLE', 'The token keys could not be fetched', { cause: error })
  }
  const reason =
    code === 'ERR_JWT_CLAIM_VALIDATION_FAILED'
      ? (REASON_BY_CLAIM[(error as { claim?: string }).claim ?? ''] ?? 'invalid_claims')
      : (REASON_BY_JOSE_CODE[code] ?? 'invalid_token')
  return unauthenticated(reason, DETAIL[reason], error)
}

function toKeyMaterial(options: JwtAuthenticatorOptions): {
  kind: 'secret' | 'pem' | 'jwks'
  algorithms: string[]
} {
  const sources = [options.secret, options.publicKey, options.jwksUrl].filter(
    (source) => source !== undefined,
  )
  if (sources.length !== 1)
    throw definitionErrors.SERVEY_ERR_AUTH_KEY_CONFIG(String(sources.length))
  if (options.secret !== undefined) {
    const algorithms = [...(options.algorithms ?? ['HS256'])]
    if (algorithms.some((alg) => !HMAC_ALGORITHMS.includes(alg))) {
      throw definitionErrors.SERVEY_ERR_AUTH_ALGORITHM_INVALID(
        algorithms.join(', '),
        'a shared secret',
      )
    }
    return { kind: 'secret', algorithms }
  }
  const algorithms = [
    ...(options.algorithms ??
      (options.publicKey !== undefined ? ['RS256'] : ASYMMETRIC_ALGORITHMS)),
  ]
  // A public key never verifies an HMAC token: that is the classic key-confusion attack.
  if (algorithms.some((alg) => !(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg))) {
    throw definitionErrors.SERVEY_ERR_AUTH_ALGORITHM_INVALID(
      algorithms.join(', '),
      'a public key or JWKS',
    )
  }
  if (options.publicKey !== undefined && algorithms.length !== 1) {
    throw definitionErrors.SERVEY_ERR_AUTH_ALGORITHM_INVALID(
      algorithms.join(', '),
      'one PEM key (name exactly one)',
    )
  }
  return { kind: options.publicKey !== undefined ? 'pem' : 'jwks', algorithms }
}

/**
 * Verifies bearer JWTs with jose: signature, `alg` against an allow-list, `exp`/`nbf` with
 * clock tolerance, and `iss`/`aud` when configured. Async because a PEM key is imported (and
 * checked) up front, so a bad key fails at start-up, not on the first request.
 */
export async function createJwtAuthenticator(
  options: JwtAuthenticatorOptions,
): Promise<Authenticator> {
  const { kind, algorithms } = toKeyMaterial(options)
  const { createRemoteJWKSet, importSPKI, jwtVerify } = await import('jose')
  let key: Uint8Array | CryptoKey | JWTVerifyGetKey
  if (kind === 'secret') {
    key =
      typeof options.secret === 'string'
        ? new TextEncoder().encode(options.secret)
        : (options.secret as Uint8Array)
    if (key.byteLength < MIN_SECRET_BYTES)
      throw definitionErrors.SERVEY_ERR_AUTH_SECRET_TOO_SHORT(
        String(key.byteLength),
        String(MIN_SECRET_BYTES),
      )
  } else if (kind === 'pem') {
    try {
      key = await importSPKI(options.publicKey as string, algorithms[0] as string)
    } catch (error) {
      throw definitionErrors.SERVEY_ERR_AUTH_KEY_INVALID((error as Error).message)
    }
  } else {
    key = createRemoteJWKSet(new URL(options.jwksUrl as string | URL), {
      cacheMaxAge: 600_000,
      cooldownDuration: 30_000,
      timeoutDuration: 5_000,
    })
  }
  const clockTolerance = options.clockTolerance ?? 5
  const verifyOptions: JWTVerifyOptions = { algorithms, clockTolerance }
  if (options.issuer !== undefined) verifyOptions.issuer = options.issuer as string | string[]
  if (options.audience !== undefined) verifyOptions.audience = options.audience as string | string[]

  const cacheSize = options.cacheSize ?? 1000
  const cache = new Map<string, Authorization>()
  const stillValid = (authorization: Authorization): boolean => {
    const now = Date.now()
    const slack = clockTolerance * 1000
    return (
      (authorization.expiresAt === undefined || authorization.expiresAt.getTime() + slack > now) &&
      (authorization.notBefore === undefined || authorization.notBefore.getTime() - slack <= now)
    )
  }

  return {
    async authenticate(token) {
      const cached = cache.get(token)
      if (cached !== undefined) {
        if (stillValid(cached)) return cached
        cache.delete(token)
      }
      try {
        const { payload } = await jwtVerify(token, key as never, verifyOptions)
        const authorization = authorizationFromClaims(payload)
        if (cacheSize > 0) {
          if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string)
          cache.set(token, authorization)
        }
        return authorization
      } catch (error) {
        throw toUnauthenticated(error)
      }
    },
  }
}
