import { createJwtIssuer } from '@servey/core'
import type fc from 'fast-check'
import WebSocket from 'ws'
import { channelsOf, websocketCases, type WsCase, type WsTokens } from './websocket-cases.ts'

/**
 * The key the fuzzed server verifies tokens with (JWT_SECRET_KEY), so that cases can carry
 * valid tokens as well as forged ones.
 */
export const FUZZ_JWT_SECRET = 'servey-fuzz-secret-long-enough-for-hs256-0123456789'

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** Tokens for the cases: some valid (odd subjects too), the rest refused for a reason each. */
export async function mintTokens(secret = FUZZ_JWT_SECRET): Promise<WsTokens> {
  const issuer = createJwtIssuer({ secret })
  const elsewhere = createJwtIssuer({ secret: `${secret}-but-another-one` })
  const valid = await Promise.all(
    [
      { subject: 'root', scopes: ['root'] },
      { subject: '__proto__', scopes: ['constructor', '__proto__'] },
      { subject: '<script>"x"</script>', scopes: [] },
      { subject: 'a'.repeat(2_000), scopes: ['x'] },
    ].map(async (claims) => (await issuer.issue(claims)).token),
  )
  const good = valid[0] as string
  const bad = [
    (await issuer.issue({ subject: 'late', scopes: [], expiresIn: -60 })).token,
    (await elsewhere.issue({ subject: 'root', scopes: ['root'] })).token,
    `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'root', scope: 'root' })}.`,
    good.slice(0, -4),
    `${good}x`,
    'x.y.z',
    'not-a-jwt',
    'a'.repeat(9_000),
  ]
  return { valid, bad }
}

/** The websocket cases for the server at `origin`, from the channels its AsyncAPI lists. */
export async function websocketArbitrary(
  origin: URL,
  tokens: WsTokens,
): Promise<{ arbitrary: fc.Arbitrary<WsCase>; channels: number }> {
  const doc = (await (await fetch(new URL('/asyncapi.json', origin))).json()) as Parameters<
    typeof channelsOf
  >[0]
  const channels = channelsOf(doc)
  if (channels.length === 0) throw new Error('The AsyncAPI document lists no websocket channel')
  return { arbitrary: websocketCases(channels, tokens), channels: channels.length }
}

/**
 * The end-of-run check: a fresh client subscribes to `WS /channels/<channel>`, the publishing
 * action is called over REST, and the event arrives.
 */
export function channelAlive(
  origin: URL,
  channel = 'messenger',
  publish = { path: '/actions/broadcast-message', body: { message: 'alive after the fuzz' } },
  waitMs = 15_000,
): Promise<boolean> {
  return new Promise((resolve) => {
    const client = new WebSocket(
      new URL(`/channels/${channel}`, origin.href.replace(/^http/, 'ws')),
    )
    const timer = setTimeout(() => done(false), waitMs)
    const done = (alive: boolean) => {
      clearTimeout(timer)
      client.terminate()
      resolve(alive)
    }
    client.on('error', () => done(false))
    client.on('message', (data) => {
      let frame: { type?: string; event?: unknown }
      try {
        frame = JSON.parse(String(data)) as typeof frame
      } catch {
        done(false)
        return
      }
      if (frame.type === 'subscribed') {
        fetch(new URL(publish.path, origin), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(publish.body),
        }).then(
          (response) => {
            if (!response.ok) done(false)
          },
          () => done(false),
        )
      } else if (frame.type === undefined && frame.event === publish.body.message) {
        done(true)
      }
    })
  })
}
