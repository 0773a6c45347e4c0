import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import {
  createJwtAuthenticator,
  createJwtIssuer,
  generateSecret,
  type Authenticator,
  type JwtAuthenticatorOptions,
} from '@servey/core'
import type { DevTokenOptions } from '@servey/rest'
import { cliErrors } from '../errors.ts'

export interface ServerSecurity {
  /** Verifies bearer tokens on every request (core's pipeline calls it). */
  readonly authenticator: Authenticator
  /** `POST /token` settings, when the endpoint is on. */
  readonly devToken?: DevTokenOptions
  /** Set when no key was configured: the secret made up for this process. */
  readonly generatedSecret?: string
  /** Why the token endpoint is off although it was asked for (a public-key setup). */
  readonly devTokenUnavailable?: string
}

const set = (value: string | undefined): value is string => value !== undefined && value !== ''
const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')

/**
 * The JWT settings of the environment (docs/reference/security.md): one key source of
 * JWT_SECRET_KEY, JWT_PUBLIC_KEY (a PEM or a path to one) and JWT_JWKS_URL, plus
 * JWT_ALGORITHMS, JWT_ISSUER, JWT_AUDIENCE and JWT_CLOCK_TOLERANCE. Without a key, a secret is
 * generated per process: tokens then last as long as the process, which suits a dev server.
 */
export function jwtOptionsFromEnv(env: NodeJS.ProcessEnv): {
  options: JwtAuthenticatorOptions
  generatedSecret?: string
} {
  const extra: { -readonly [K in keyof JwtAuthenticatorOptions]: JwtAuthenticatorOptions[K] } = {}
  if (set(env['JWT_ALGORITHMS'])) extra.algorithms = list(env['JWT_ALGORITHMS'])
  if (set(env['JWT_ISSUER'])) extra.issuer = env['JWT_ISSUER']
  if (set(env['JWT_AUDIENCE'])) extra.audience = list(env['JWT_AUDIENCE'])
  if (set(env['JWT_CLOCK_TOLERANCE'])) {
    const seconds = Number(env['JWT_CLOCK_TOLERANCE'])
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw cliErrors.SERVEY_ERR_CLI_ENV_INVALID(
        'JWT_CLOCK_TOLERANCE',
        env['JWT_CLOCK_TOLERANCE'],
        'a number of seconds',
      )
    }
    extra.clockTolerance = seconds
  }
  const publicKey = env['JWT_PUBLIC_KEY']
  if (set(publicKey)) {
    const pem = publicKey.includes('-----BEGIN')
      ? publicKey
      : existsSync(publicKey)
        ? readFileSync(publicKey, 'utf8')
        : undefined
    if (pem === undefined) {
      throw cliErrors.SERVEY_ERR_CLI_ENV_INVALID(
        'JWT_PUBLIC_KEY',
        publicKey,
        'a PEM public key or the path of one',
      )
    }
    return {
      options: {
        ...extra,
        publicKey: pem,
        ...(set(env['JWT_SECRET_KEY']) ? { secret: env['JWT_SECRET_KEY'] } : {}),
      },
    }
  }
  if (set(env['JWT_JWKS_URL'])) {
    return {
      options: {
        ...extra,
        jwksUrl: env['JWT_JWKS_URL'],
        ...(set(env['JWT_SECRET_KEY']) ? { secret: env['JWT_SECRET_KEY'] } : {}),
      },
    }
  }
  if (set(env['JWT_SECRET_KEY'])) return { options: { ...extra, secret: env['JWT_SECRET_KEY'] } }
  const secret = generateSecret()
  return { options: { ...extra, secret }, generatedSecret: secret }
}

/** The dev token endpoint: on in dev; off in production unless SERVEY_DEV_TOKEN=1 says so. */
export function devTokenWanted(env: NodeJS.ProcessEnv, mode: 'dev' | 'start'): boolean {
  if (env['SERVEY_DEV_TOKEN'] === '1') return true
  if (env['SERVEY_DEV_TOKEN'] === '0') return false
  return mode === 'dev' && env['NODE_ENV'] !== 'production'
}

/**
 * Bearer-token verification from the environment, and the development token endpoint when
 * wanted: it signs with the same HMAC secret, so its tokens pass the authenticator. A bad key
 * or a short JWT_SECRET_KEY fails here, before anything listens.
 */
export async function serverSecurity(
  env: NodeJS.ProcessEnv,
  options: { readonly devToken: boolean },
): Promise<ServerSecurity> {
  const { options: jwt, generatedSecret } = jwtOptionsFromEnv(env)
  const authenticator = await createJwtAuthenticator(jwt)
  const generated = generatedSecret === undefined ? {} : { generatedSecret }
  if (!options.devToken) return { authenticator, ...generated }
  if (jwt.secret === undefined) {
    return {
      authenticator,
      devTokenUnavailable: 'tokens are verified with a public key, so this server cannot sign any',
    }
  }
  const password = set(env['SERVEY_DEV_PASSWORD'])
    ? env['SERVEY_DEV_PASSWORD']
    : randomBytes(9).toString('base64url')
  const devToken: DevTokenOptions = { password, issuer: createJwtIssuer({ secret: jwt.secret }) }
  return { authenticator, devToken, ...generated }
}
