import { unauthenticated } from './unauthenticated.ts'

// RFC 6750 b64token; exactly one credential, so `Bearer a, Bearer b` or `Bearer a b` fail.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i

/** Tokens larger than this are refused before any parsing: a real JWT is far smaller. */
export const MAX_TOKEN_LENGTH = 8192

/** The token of an `Authorization: Bearer <token>` header, or a 401 saying what is wrong. */
export function parseBearerHeader(header: string): string {
  if (header.length > MAX_TOKEN_LENGTH + 16) {
    throw unauthenticated(
      'token_too_large',
      `The bearer token is over ${MAX_TOKEN_LENGTH} characters`,
    )
  }
  const match = BEARER.exec(header)
  if (match === null) {
    throw unauthenticated(
      'malformed_header',
      "The Authorization header must be 'Bearer <token>' with exactly one token",
    )
  }
  return match[1] as string
}
