import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type JWTPayload,
  type CryptoKey,
} from 'jose'

export const SECRET = 'a-test-secret-that-is-long-enough-for-hs256!'

export function hs256(
  payload: JWTPayload,
  secret = SECRET,
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...header })
    .sign(new TextEncoder().encode(secret))
}

export async function rsaKeys(): Promise<{
  privateKey: CryptoKey
  publicPem: string
  publicJwk: Record<string, unknown>
}> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  return {
    privateKey,
    publicPem: await exportSPKI(publicKey),
    publicJwk: { ...(await exportJWK(publicKey)), alg: 'RS256', use: 'sig' },
  }
}

export function rs256(payload: JWTPayload, key: CryptoKey, kid?: string): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', ...(kid === undefined ? {} : { kid }) })
    .sign(key)
}

/** A JWKS endpoint on loopback whose keys a test can rotate; counts its fetches. */
export async function jwksServer(keys: Array<Record<string, unknown>>): Promise<{
  url: string
  keys: Array<Record<string, unknown>>
  fetches: () => number
  close: () => Promise<void>
}> {
  let fetches = 0
  const server: Server = createServer((_request, response) => {
    fetches++
    response.setHeader('content-type', 'application/json')
    response.end(JSON.stringify({ keys }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    keys,
    fetches: () => fetches,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

export const now = (): number => Math.floor(Date.now() / 1000)
