import { createJwtIssuer } from '@servey/core'
import fc from 'fast-check'
import { requestArbitrary, type SseRequest } from './sse-cases.ts'
import {
  stepArbitrary,
  type ChannelInfo,
  type WsCase,
  type WsStep,
  type WsTokens,
} from './websocket-cases.ts'

/** A caller's credential and what the channel's access rule makes of it. */
export interface Credential {
  readonly name: string
  readonly token?: string
  /** Verified, and holds the scope the channel asks for: may read it. */
  readonly authorized: boolean
  /** Verified at all (signed with the server's key, not expired): an auth frame is answered. */
  readonly verifiable: boolean
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/**
 * Credentials for a channel whose access is `anyScope(scope)`: tokens that hold the scope (odd
 * subjects too), verified tokens without it (no scope, its upper case, a longer word, the
 * prototype's names), and refused ones (expired, another key, `alg: none`, truncated, junk),
 * and none at all.
 */
export async function mintCredentials(secret: string, scope: string): Promise<Credential[]> {
  const issuer = createJwtIssuer({ secret })
  const elsewhere = createJwtIssuer({ secret: `${secret}-but-another-one` })
  const issue = async (subject: string, scopes: string[]) =>
    (await issuer.issue({ subject, scopes })).token
  const good = await issue('root', [scope])
  const credentials: Credential[] = []
  for (const [name, subject, scopes] of [
    ['scope', 'root', [scope]],
    ['scope, subject __proto__', '__proto__', ['constructor', scope]],
    ['scope, subject <script>', '<script>"x"</script>', ['x', scope]],
    ['scope, 2,000-character subject', 'a'.repeat(2_000), [scope]],
  ] as const) {
    credentials.push({
      name,
      token: await issue(subject, [...scopes]),
      authorized: true,
      verifiable: true,
    })
  }
  for (const [name, scopes] of [
    ['no scope', []],
    ['scope in upper case', [scope.toUpperCase()]],
    ['a longer scope', [`${scope}s`]],
    ['scope __proto__', ['__proto__', 'constructor']],
  ] as const) {
    credentials.push({
      name,
      token: await issue('eve', [...scopes]),
      authorized: false,
      verifiable: true,
    })
  }
  const refused: [string, string][] = [
    ['expired', (await issuer.issue({ subject: 'root', scopes: [scope], expiresIn: -60 })).token],
    ['another key', (await elsewhere.issue({ subject: 'root', scopes: [scope] })).token],
    ['alg none', `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'root', scope })}.`],
    ['truncated', good.slice(0, -4)],
    ['a byte more', `${good}x`],
    ['x.y.z', 'x.y.z'],
    ['not a JWT', 'not-a-jwt'],
    ['9,000 characters', 'a'.repeat(9_000)],
  ]
  for (const [name, token] of refused) {
    credentials.push({ name, token, authorized: false, verifiable: false })
  }
  credentials.push({ name: 'none', authorized: false, verifiable: false })
  return credentials
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/**
 * The tokens of the auth frames the server will act on, in the order it gets them: text
 * messages reassembled from their fragments, parsed as the server parses them (the last of
 * duplicate keys wins). Nothing after a raw frame counts: every one of them closes the socket.
 */
export function authTokensOf(steps: readonly WsStep[]): string[] {
  const tokens: string[] = []
  let message = ''
  for (const step of steps) {
    for (const op of step.send) {
      if (op.op === 'raw') return tokens
      if (op.op !== 'text') continue
      message += typeof op.data === 'string' ? op.data : op.data.toString('utf8')
      if (!op.fin) continue
      const frame = parse(message)
      message = ''
      if (frame?.['type'] === 'auth' && typeof frame['token'] === 'string' && frame['token'] !== '')
        tokens.push(frame['token'])
    }
  }
  return tokens
}

export type Transport = 'ws-single' | 'ws-multi' | 'sse'
/** How a websocket carries the token: the upgrade's header, the `bearer` subprotocol, a frame. */
export type Via = 'header' | 'subprotocol' | 'auth-frame'

export interface ProtectedCase {
  readonly trigger: 'protected'
  readonly label: string
  readonly credential: Credential
  readonly via: Via
  readonly transport: Transport
  readonly ws?: WsCase
  readonly sse?: SseRequest
}

/**
 * The steps of a single-channel socket that waits for a token: the first auth frame with a
 * token the server verifies is answered twice (`authenticated`, then `subscribed` or the
 * refusal), so that step owes one answer more than it has messages.
 */
function owedWhileAwaiting(steps: readonly WsStep[], verified: ReadonlySet<string>): WsStep[] {
  let awaiting = true
  return steps.map((step) => {
    if (!awaiting || !authTokensOf([step]).some((token) => verified.has(token))) return step
    awaiting = false
    const messages = step.send.filter((op) => op.op === 'binary' || (op.op === 'text' && op.fin))
    return { ...step, answers: messages.length + 1 }
  })
}

const text = (data: string, label: string, answers?: number): WsStep => ({
  label,
  send: [{ op: 'text', data, fin: true }],
  expect: { kind: 'answer' },
  ...(answers === undefined ? {} : { answers }),
})

/**
 * Sessions on a protected channel: half carry a token that may read it, so that the hostile
 * frames after it (the websocket trigger's grammar, on this channel, with auth frames that
 * change the caller) and hostile SSE requests reach the layer past authentication; the others
 * sweep credentials that may not (verified without the scope, refused, none), by each way a
 * token travels. Every case's verdict knows which credential it carries.
 */
export function protectedCases(
  channel: ChannelInfo,
  credentials: readonly Credential[],
): fc.Arbitrary<ProtectedCase> {
  const verified = credentials.filter((c) => c.verifiable)
  const tokens: WsTokens = {
    valid: verified.map((c) => c.token as string),
    bad: credentials
      .filter((c) => !c.verifiable && c.token !== undefined)
      .map((c) => c.token as string),
  }
  const name = channel.address.slice('/channels/'.length)
  const verifiedTokens = new Set(tokens.valid)
  return fc
    .record({
      credential: fc.oneof(
        { arbitrary: fc.constantFrom(...credentials.filter((c) => c.authorized)), weight: 1 },
        { arbitrary: fc.constantFrom(...credentials.filter((c) => !c.authorized)), weight: 1 },
      ),
      transport: fc.constantFrom<Transport>('ws-single', 'ws-multi', 'sse'),
      via: fc.constantFrom<Via>('header', 'subprotocol', 'auth-frame'),
      steps: fc.array(stepArbitrary([channel], tokens), { minLength: 1, maxLength: 5 }),
      sse: requestArbitrary([channel], tokens),
    })
    .map(({ credential, transport, via, steps, sse }): ProtectedCase => {
      const token = credential.token
      const base = `${transport} ${credential.name}${token === undefined ? '' : ` by ${transport === 'sse' ? 'header' : via}`}`
      if (transport === 'sse') {
        const headers: Record<string, string> = { ...sse.headers }
        delete headers['authorization']
        if (token !== undefined) headers['authorization'] = `Bearer ${token}`
        // Always this channel: the SSE trigger sends the other names, some of which (such as
        // `%6Dessenger`) name an open channel.
        const query = sse.target.indexOf('?')
        const target = `${channel.address}${query === -1 ? '' : sse.target.slice(query)}`
        const request = { ...sse, target, headers }
        return {
          trigger: 'protected',
          label: `${base}: GET ${request.target.slice(0, 100)} ${JSON.stringify(headers).slice(0, 160)}`,
          credential,
          via: 'header',
          transport,
          sse: request,
        }
      }
      const single = transport === 'ws-single'
      const atUpgrade = token !== undefined && via !== 'auth-frame'
      const authFrame = token !== undefined && via === 'auth-frame'
      const opening: WsStep[] = []
      if (authFrame) {
        // On a socket awaiting a token, `authenticated` then `subscribed` (or the refusal).
        opening.push(
          text(
            JSON.stringify({ type: 'auth', token }),
            'auth frame',
            single && credential.verifiable ? 2 : 1,
          ),
        )
      }
      if (!single)
        opening.push(
          text(JSON.stringify({ type: 'subscribe', channel: name }), `subscribe ${name}`),
        )
      // Without a token at the upgrade or in a first frame, the socket waits for one.
      const awaiting =
        single && !atUpgrade && !authFrame ? owedWhileAwaiting(steps, verifiedTokens) : steps
      const ws: WsCase = {
        trigger: 'websocket',
        label: base,
        path: single ? channel.address : '/channels',
        headers: atUpgrade && via === 'header' ? { authorization: `Bearer ${token}` } : {},
        protocols: atUpgrade && via === 'subprotocol' ? ['bearer', token] : [],
        // A single-channel socket with a token at the upgrade answers at once.
        opensWithAnswer: single && atUpgrade,
        steps: [...opening, ...awaiting],
      }
      return {
        trigger: 'protected',
        label: `${base}: ${ws.steps.map((s) => s.label).join(' | ')}`.slice(0, 1_500),
        credential,
        via,
        transport,
        ws,
      }
    })
}
