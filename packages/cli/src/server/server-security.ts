import { randomBytes } from 'node:crypto'
import {
  createJwtAuthenticator,
  createJwtIssuer,
  jwtOptionsFromEnv,
  type Authenticator,
} from '@servey/core'
import type { DevTokenOptions } from '@servey/rest'

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
