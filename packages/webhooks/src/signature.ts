import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

export const SIGNATURE_HEADER = 'servey-signature'

/**
 * The callback signing key: `SERVEY_CALLBACK_SECRET`, else a random key per start (then
 * receivers cannot verify across restarts; set the variable in production).
 */
export function callbackSecretFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const secret = env['SERVEY_CALLBACK_SECRET']
  return secret !== undefined && secret !== '' ? secret : randomBytes(32).toString('base64url')
}

function digest(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')
}

/**
 * `Servey-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, the scheme
 * Stripe uses: the timestamp is signed too, so a receiver can refuse replays of old calls.
 */
export function signCallback(secret: string, body: string, now = Date.now()): string {
  const timestamp = Math.floor(now / 1000)
  return `t=${timestamp},v1=${digest(secret, timestamp, body)}`
}

export interface VerifyOptions {
  /** Refuse signatures older (or newer) than this many seconds. Default 300. */
  readonly toleranceSeconds?: number
  readonly now?: number
}

/** For receivers: true when `header` signs `body` (the raw text) with `secret`, recently. */
export function verifyCallbackSignature(
  secret: string,
  body: string,
  header: string | undefined,
  options: VerifyOptions = {},
): boolean {
  if (header === undefined) return false
  const parts = new Map(
    header.split(',').map((part) => {
      const index = part.indexOf('=')
      return [part.slice(0, index).trim(), part.slice(index + 1).trim()] as const
    }),
  )
  const timestamp = Number(parts.get('t'))
  const signature = parts.get('v1')
  if (!Number.isInteger(timestamp) || signature === undefined) return false
  const now = Math.floor((options.now ?? Date.now()) / 1000)
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) return false
  const expected = Buffer.from(digest(secret, timestamp, body), 'hex')
  const given = Buffer.from(signature, 'hex')
  return given.length === expected.length && timingSafeEqual(given, expected)
}
