import { randomBytes } from 'node:crypto'
import { definitionErrors } from '../errors/definition-errors.ts'

export interface IssuedToken {
  readonly token: string
  /** Seconds until it expires. */
  readonly expiresIn: number
}

/** Signs tokens that the matching JWT authenticator accepts (the dev token endpoint, tests). */
export interface TokenIssuer {
  issue(claims: {
    readonly subject: string
    readonly scopes: readonly string[]
    readonly expiresIn?: number
  }): Promise<IssuedToken>
}

export interface JwtIssuerOptions {
  /** The same HMAC secret the authenticator verifies with, at least 32 bytes. */
  readonly secret: string | Uint8Array
  readonly issuer?: string
  readonly audience?: string
  /** Seconds; default one hour. */
  readonly expiresIn?: number
}

export function createJwtIssuer(options: JwtIssuerOptions): TokenIssuer {
  const key =
    typeof options.secret === 'string' ? new TextEncoder().encode(options.secret) : options.secret
  if (key.byteLength < 32)
    throw definitionErrors.SERVEY_ERR_AUTH_SECRET_TOO_SHORT(String(key.byteLength), '32')
  return {
    async issue({ subject, scopes, expiresIn = options.expiresIn ?? 3600 }) {
      // Loaded on first use, as in the authenticator: importing core must stay cheap.
      const { SignJWT } = await import('jose')
      const jwt = new SignJWT({ scope: scopes.join(' ') })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(subject)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn)
      if (options.issuer !== undefined) jwt.setIssuer(options.issuer)
      if (options.audience !== undefined) jwt.setAudience(options.audience)
      return { token: await jwt.sign(key), expiresIn }
    },
  }
}

/** A random HMAC secret for when none is configured: tokens then last one process lifetime. */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url')
}
