import { existsSync, readFileSync } from 'node:fs'
import { definitionErrors } from '../errors/definition-errors.ts'
import { generateSecret } from './jwt-issuer.ts'
import type { JwtAuthenticatorOptions } from './jwt-authenticator.ts'

const set = (value: string | undefined): value is string => value !== undefined && value !== ''
const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')

/**
 * The JWT settings of the environment (docs/reference/security.md): one key source of
 * JWT_SECRET_KEY, JWT_PUBLIC_KEY (a PEM or a path to one) and JWT_JWKS_URL, plus
 * JWT_ALGORITHMS, JWT_ISSUER, JWT_AUDIENCE and JWT_CLOCK_TOLERANCE. Every host reads them
 * here, so a server and a Lambda function verify the same tokens from the same settings.
 * Without a key, a secret is generated per process and returned as `generatedSecret`: a host
 * decides whether that suits it (a dev server) or not (a Lambda function).
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
      throw definitionErrors.SERVEY_ERR_AUTH_ENV_INVALID(
        'JWT_CLOCK_TOLERANCE',
        env['JWT_CLOCK_TOLERANCE'],
        'a number of seconds',
      )
    }
    extra.clockTolerance = seconds
  }
  const withSecret = set(env['JWT_SECRET_KEY']) ? { secret: env['JWT_SECRET_KEY'] } : {}
  const publicKey = env['JWT_PUBLIC_KEY']
  if (set(publicKey)) {
    const pem = publicKey.includes('-----BEGIN')
      ? publicKey
      : existsSync(publicKey)
        ? readFileSync(publicKey, 'utf8')
        : undefined
    if (pem === undefined) {
      throw definitionErrors.SERVEY_ERR_AUTH_ENV_INVALID(
        'JWT_PUBLIC_KEY',
        publicKey,
        'a PEM public key or the path of one',
      )
    }
    return { options: { ...extra, publicKey: pem, ...withSecret } }
  }
  if (set(env['JWT_JWKS_URL'])) {
    return { options: { ...extra, jwksUrl: env['JWT_JWKS_URL'], ...withSecret } }
  }
  if (set(env['JWT_SECRET_KEY'])) return { options: { ...extra, secret: env['JWT_SECRET_KEY'] } }
  const secret = generateSecret()
  return { options: { ...extra, secret }, generatedSecret: secret }
}
