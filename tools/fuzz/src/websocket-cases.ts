import fc from 'fast-check'
import {
  awkwardStringText,
  hostileValueText,
  notJsonText,
  valueTextFor,
  type JsonText,
  type SchemaLike,
} from './hostile-values.ts'
import { closePayload, encodeFrame, OPCODE } from './websocket-frames.ts'

/** What the server owes the client after one step. */
export type Expectation =
  /**
   * One answer frame (`error`, `subscribed`, `unsubscribed`, `authenticated`) per message, or
   * a close; `error` when no such message can be anything but refused.
   */
  | { readonly kind: 'answer'; readonly error?: boolean }
  /** The server closes the connection with one of these codes. */
  | { readonly kind: 'close'; readonly codes: readonly number[] }
  /** A pong for every ping. */
  | { readonly kind: 'pongs'; readonly count: number }

/** One write: through the `ws` client's own API, or bytes it would refuse to build. */
export type WireOp =
  | { readonly op: 'text'; readonly data: string | Buffer; readonly fin: boolean }
  | { readonly op: 'binary'; readonly data: Buffer }
  | { readonly op: 'ping'; readonly count: number }
  | { readonly op: 'raw'; readonly bytes: Buffer }

export interface WsStep {
  readonly label: string
  readonly send: readonly WireOp[]
  readonly expect: Expectation
  /** Answers owed when not one per message: an auth frame on a socket awaiting it gets two. */
  readonly answers?: number
}

export interface WsCase {
  readonly trigger: 'websocket'
  readonly label: string
  /** `/channels`, `/channels/<name>[?since=]`, or a path no websocket serves. */
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly protocols: readonly string[]
  /** A single-channel socket of an open channel answers at once: `subscribed`, or a refusal. */
  readonly opensWithAnswer: boolean
  readonly steps: readonly WsStep[]
}

/** A channel as the AsyncAPI document describes it. */
export interface ChannelInfo {
  readonly name: string
  readonly address: string
  readonly open: boolean
  readonly payload: SchemaLike | undefined
}

interface AsyncApiDocument {
  readonly channels: Readonly<
    Record<
      string,
      {
        readonly address?: string
        readonly title?: string
        readonly bindings?: { readonly ws?: unknown }
        readonly messages?: Readonly<Record<string, { readonly $ref?: string }>>
        readonly 'x-servey-access'?: { readonly kind?: string }
      }
    >
  >
  readonly components?: {
    readonly messages?: Readonly<
      Record<string, { readonly payload?: { readonly properties?: { event?: SchemaLike } } }>
    >
  }
}

/**
 * The websocket channels of a served AsyncAPI document (`GET /asyncapi.json`): one per
 * `WS /channels/<name>` entry with a `ws` binding, its access and its event payload schema.
 */
export function channelsOf(doc: AsyncApiDocument): ChannelInfo[] {
  const found: ChannelInfo[] = []
  for (const channel of Object.values(doc.channels)) {
    const address = channel.address ?? ''
    if (channel.bindings?.ws === undefined || !/^\/channels\/[^/]+$/.test(address)) continue
    const name = channel.title ?? address.slice('/channels/'.length)
    const ref = channel.messages?.[name]?.$ref ?? ''
    const message = doc.components?.messages?.[ref.split('/').pop() ?? '']
    found.push({
      name,
      address,
      open: channel['x-servey-access']?.kind === 'allow_all',
      payload: message?.payload?.properties?.event,
    })
  }
  return found
}

/** Tokens the case builder may put in auth frames, headers and subprotocols. */
export interface WsTokens {
  /** Signed with the server's key: accepted. */
  readonly valid: readonly string[]
  /** Expired, signed elsewhere, `alg: none`, truncated, junk: each refused with 1008. */
  readonly bad: readonly string[]
}

/** Past the 64 KiB frame limit (`maxFrameBytes`): the server closes with 1009. */
const FRAME_LIMIT = 64 * 1024
/** What the `ws` server answers every protocol violation with (RFC 6455 §7.4.1). */
const PROTOCOL_ERROR = 1002
const INVALID_DATA = 1007
const TOO_BIG = 1009

/** Close codes a client may send (RFC 6455 §7.4, as `ws` checks them); the rest are 1002. */
function isValidCloseCode(code: number): boolean {
  return (
    (code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) ||
    (code >= 3000 && code <= 4999)
  )
}

const field = (name: string, value: JsonText): string => `${JSON.stringify(name)}:${value}`

/**
 * One client frame as JSON text, derived from the channels (both spellings, payloads): mostly
 * well formed, with hostile values in any field. The Lambda websocket trigger sends the same.
 */
export function frameArbitrary(
  channels: readonly ChannelInfo[],
  tokens: WsTokens,
): fc.Arbitrary<string> {
  const names = channels.flatMap((c) => [c.name, c.address.slice('/channels/'.length)])
  const channelText = fc.oneof(
    { arbitrary: fc.constantFrom(...names.map((n) => JSON.stringify(n))), weight: 6 },
    {
      arbitrary: fc.constantFrom(
        '"nope"',
        '"__proto__"',
        '"constructor"',
        '"toString"',
        `"${names[0] ?? 'x'} "`,
        `"${(names[0] ?? 'x').toUpperCase()}"`,
        '"channels.multiplexed"',
        `"${names[0] ?? 'x'}.sse"`,
        '"../messenger"',
        '"%6Dessenger"',
        // The connections table's own row key on Lambda (a channel name can never be it).
        '"#connection"',
      ),
      weight: 2,
    },
    { arbitrary: awkwardStringText, weight: 1 },
    { arbitrary: hostileValueText, weight: 1 },
  )
  const sinceText = fc.oneof(
    fc.constantFrom(
      '"0-0"',
      '"1733400000000-0"',
      `"${Date.now()}-0"`,
      '"9999999999999999-9999999999999999"',
      '"99999999999999999-0"',
      '"1-"',
      '"-1-0"',
      '"abc"',
      '""',
      'null',
    ),
    hostileValueText,
  )
  // Valid tokens most often, so that sessions go on after the auth frame.
  const tokenText = fc.oneof(
    { arbitrary: fc.constantFrom(...tokens.valid.map((t) => JSON.stringify(t))), weight: 4 },
    { arbitrary: fc.constantFrom(...tokens.bad.map((t) => JSON.stringify(t))), weight: 2 },
    { arbitrary: hostileValueText, weight: 1 },
  )
  const eventText = fc.oneof(...channels.map((c) => valueTextFor(c.payload)))
  const typeText = fc.oneof(
    { arbitrary: fc.constantFrom('"subscribe"', '"unsubscribe"', '"auth"'), weight: 8 },
    {
      arbitrary: fc.constantFrom(
        '"publish"',
        '"SUBSCRIBE"',
        '"ping"',
        '""',
        'null',
        '1',
        '["subscribe"]',
      ),
      weight: 2,
    },
    { arbitrary: hostileValueText, weight: 1 },
  )
  // Present with this chance, else left out of the frame.
  const maybe = (arbitrary: fc.Arbitrary<JsonText>, chance: number) =>
    fc.oneof(
      { arbitrary, weight: Math.round(chance * 100) },
      { arbitrary: fc.constant(undefined), weight: Math.round((1 - chance) * 100) },
    )
  return fc
    .record({
      type: maybe(typeText, 0.95),
      channel: maybe(channelText, 0.85),
      since: maybe(sinceText, 0.25),
      token: maybe(tokenText, 0.3),
      event: maybe(eventText, 0.15),
      extra: fc.array(
        fc.record({
          name: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor')),
          value: hostileValueText,
        }),
        { maxLength: 2 },
      ),
      duplicate: fc.boolean(),
    })
    .map(({ type, channel, since, token, event, extra, duplicate }) => {
      const parts: string[] = []
      if (type !== undefined) parts.push(field('type', type))
      if (channel !== undefined) parts.push(field('channel', channel))
      if (since !== undefined) parts.push(field('since', since))
      if (token !== undefined) parts.push(field('token', token))
      if (event !== undefined) parts.push(field('event', event))
      for (const { name, value } of extra) parts.push(field(name, value))
      // A repeated key: JSON.parse keeps the last, so the first one can smuggle nothing.
      if (duplicate && type !== undefined) parts.push(field('type', '"subscribe"'))
      return `{${parts.join(',')}}`
    })
}

const text = (data: string | Buffer, label: string, error = false): WsStep => ({
  label,
  send: [{ op: 'text', data, fin: true }],
  expect: error ? { kind: 'answer', error } : { kind: 'answer' },
})

/** Bytes that are not UTF-8 (overlong, surrogates, truncated, stray continuation, 0xFF). */
const invalidUtf8 = fc.constantFrom(
  [0xff],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xe2, 0x82],
  [0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xfe, 0x22, 0x7d],
)

/** One hostile step of a session: frames of the grammar, not-frames, limits, protocol breaks. */
export function stepArbitrary(
  channels: readonly ChannelInfo[],
  tokens: WsTokens,
): fc.Arbitrary<WsStep> {
  const frame = frameArbitrary(channels, tokens)
  const names = channels.map((c) => c.name)
  return fc.oneof(
    { arbitrary: frame.map((f) => text(f, `text ${f.slice(0, 160)}`)), weight: 12 },
    {
      arbitrary: fc
        .oneof(notJsonText, hostileValueText)
        .map((f) => text(f, `not a frame object ${f.slice(0, 120)}`, true)),
      weight: 3,
    },
    {
      // Binary frames: random bytes, or a valid frame's JSON sent as binary.
      arbitrary: fc
        .oneof(
          fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
          frame.map((f) => Buffer.from(f)),
        )
        .map((data) => ({
          label: `binary ${data.length} bytes`,
          send: [{ op: 'binary' as const, data }],
          expect: { kind: 'answer' as const, error: true },
        })),
      weight: 2,
    },
    {
      // Over the frame limit, as one frame or as fragments whose sum is over it.
      arbitrary: fc
        .record({
          size: fc.integer({ min: FRAME_LIMIT + 1, max: 3 * FRAME_LIMIT }),
          fragments: fc.integer({ min: 1, max: 3 }),
        })
        .map(({ size, fragments }) => {
          const piece = Math.ceil(size / fragments)
          const send: WireOp[] = []
          for (let i = 0; i < fragments; i++) {
            send.push({ op: 'text', data: ' '.repeat(piece), fin: i === fragments - 1 })
          }
          return {
            label: `oversized text ${size} bytes in ${fragments} fragment(s)`,
            send,
            expect: { kind: 'close' as const, codes: [TOO_BIG] },
          }
        }),
      weight: 1,
    },
    {
      arbitrary: invalidUtf8.map((bytes) => ({
        label: `text frame not UTF-8 [${bytes.join(',')}]`,
        send: [{ op: 'text' as const, data: Buffer.from(bytes), fin: true }],
        expect: { kind: 'close' as const, codes: [INVALID_DATA] },
      })),
      weight: 1,
    },
    {
      // A valid frame in 2 to 5 fragments, pings between them (control frames may interleave).
      arbitrary: fc
        .record({ f: frame, cuts: fc.integer({ min: 2, max: 5 }), pings: fc.boolean() })
        .map(({ f, cuts, pings }) => {
          const size = Math.max(1, Math.ceil(f.length / cuts))
          const send: WireOp[] = []
          for (let at = 0; at < f.length; at += size) {
            send.push({ op: 'text', data: f.slice(at, at + size), fin: at + size >= f.length })
            if (pings && at + size < f.length) send.push({ op: 'ping', count: 1 })
          }
          return {
            label: `fragmented x${send.length} ${f.slice(0, 120)}`,
            send,
            expect: { kind: 'answer' as const },
          }
        }),
      weight: 2,
    },
    {
      arbitrary: fc.integer({ min: 1, max: 300 }).map((count) => ({
        label: `ping flood x${count}`,
        send: [{ op: 'ping' as const, count }],
        expect: { kind: 'pongs' as const, count },
      })),
      weight: 1,
    },
    { arbitrary: protocolViolation, weight: 2 },
    { arbitrary: oddClose, weight: 1 },
    {
      // Every channel, both spellings: past the subscription limit the server says so.
      arbitrary: fc.constant({
        label: `subscribe to all ${names.length} channels`,
        send: names.map((name) => ({
          op: 'text' as const,
          data: JSON.stringify({ type: 'subscribe', channel: name }),
          fin: true,
        })),
        expect: { kind: 'answer' as const },
      }),
      weight: 1,
    },
  )
}

/** Frames no client library writes: the `ws` server closes with 1002 (1009 for a huge length). */
const protocolViolation: fc.Arbitrary<WsStep> = fc
  .constantFrom(
    'unmasked',
    'rsv1',
    'rsv2',
    'rsv3',
    'opcode3',
    'opcode7',
    'opcodeB',
    'opcodeF',
    'continuation first',
    'text inside a fragmented message',
    'ping over 125 bytes',
    'fragmented ping',
    'huge length',
  )
  .map((kind): WsStep => {
    const payload = Buffer.from('{"type":"subscribe","channel":"x"}')
    let bytes: Buffer
    let code = PROTOCOL_ERROR
    switch (kind) {
      case 'unmasked':
        bytes = encodeFrame({ fin: true, opcode: OPCODE.text, payload, masked: false })
        break
      case 'rsv1':
      case 'rsv2':
      case 'rsv3': {
        const rsv = { rsv1: 0x40, rsv2: 0x20, rsv3: 0x10 }[kind]
        bytes = encodeFrame({ fin: true, rsv, opcode: OPCODE.text, payload })
        break
      }
      case 'opcode3':
      case 'opcode7':
      case 'opcodeB':
      case 'opcodeF':
        bytes = encodeFrame({ fin: true, opcode: parseInt(kind.slice(-1), 16), payload })
        break
      case 'continuation first':
        bytes = encodeFrame({ fin: true, opcode: OPCODE.continuation, payload })
        break
      case 'text inside a fragmented message':
        bytes = Buffer.concat([
          encodeFrame({ fin: false, opcode: OPCODE.text, payload: payload.subarray(0, 5) }),
          encodeFrame({ fin: true, opcode: OPCODE.text, payload }),
        ])
        break
      case 'ping over 125 bytes':
        bytes = encodeFrame({ fin: true, opcode: OPCODE.ping, payload: Buffer.alloc(126, 1) })
        break
      case 'fragmented ping':
        bytes = encodeFrame({ fin: false, opcode: OPCODE.ping, payload: Buffer.from('p') })
        break
      default:
        // 2^63 bytes declared: refused on the header, before any payload could arrive.
        bytes = encodeFrame({
          fin: true,
          opcode: OPCODE.text,
          payload: Buffer.alloc(0),
          declaredLength: 2n ** 63n,
        })
        code = TOO_BIG
    }
    return {
      label: `protocol violation: ${kind}`,
      send: [{ op: 'raw', bytes }],
      expect: { kind: 'close', codes: [code] },
    }
  })

/** A close frame with any code (valid, reserved, out of range) and any reason bytes. */
const oddClose: fc.Arbitrary<WsStep> = fc
  .record({
    code: fc.oneof(
      fc.constantFrom(
        0,
        999,
        1000,
        1001,
        1004,
        1005,
        1006,
        1011,
        1012,
        1015,
        1016,
        2999,
        3000,
        4999,
        5000,
        65535,
      ),
      fc.integer({ min: 0, max: 65535 }),
    ),
    reason: fc.oneof(
      fc.string({ maxLength: 40 }).map((s) => Buffer.from(s)),
      invalidUtf8.map((b) => Buffer.from(b)),
      fc.constant(Buffer.alloc(124, 0x61)),
    ),
    bare: fc.constantFrom('code', 'code', 'code', 'one byte', 'empty'),
  })
  .map(({ code, reason, bare }): WsStep => {
    const payload =
      bare === 'empty'
        ? Buffer.alloc(0)
        : bare === 'one byte'
          ? Buffer.from([0x03])
          : closePayload(code, reason)
    let codes: number[]
    if (bare === 'empty') codes = [1005]
    else if (bare === 'one byte' || payload.length > 125 || !isValidCloseCode(code)) {
      codes = [PROTOCOL_ERROR]
    } else if (!isUtf8(reason)) codes = [INVALID_DATA]
    else codes = [code]
    return {
      label: `close frame ${bare === 'code' ? `code ${code} reason ${reason.length} bytes` : bare}`,
      send: [{ op: 'raw', bytes: encodeFrame({ fin: true, opcode: OPCODE.close, payload }) }],
      expect: { kind: 'close', codes },
    }
  })

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return true
  } catch {
    return false
  }
}

/** Upgrade targets: the multiplexed socket, each channel's own, and paths nothing serves. */
function pathArbitrary(channels: readonly ChannelInfo[]) {
  // Single-channel sockets of open channels only: one of a protected channel answers an auth
  // frame twice (`authenticated`, then `subscribed`) and one with a token at once, which the
  // protected-channel trigger models (protected-cases.ts); here those are multiplexed.
  const single = channels
    .filter((c) => c.open)
    .map((c) =>
      fc
        .option(
          fc.constantFrom('0-0', '1733400000000-0', 'abc', '1-', '%', '%E0%A4%A', 'x'.repeat(5000)),
          { freq: 3, nil: undefined },
        )
        .map((since) => ({
          path: since === undefined ? c.address : `${c.address}?since=${since}`,
          opensWithAnswer: c.open,
        })),
    )
  return fc.oneof(
    { arbitrary: fc.constant({ path: '/channels', opensWithAnswer: false }), weight: 12 },
    { arbitrary: fc.oneof(...single), weight: 6 },
    {
      arbitrary: fc
        .constantFrom(
          '/channels/nope',
          '/channels/__proto__',
          '/channels/%E0%A4%A',
          '/channels/%00',
          '/channels/a%2Fb',
          `/channels/${'n'.repeat(3000)}`,
        )
        .map((path) => ({ path, opensWithAnswer: true })),
      weight: 2,
    },
    {
      // Nothing serves a websocket here: refused over HTTP, never left hanging.
      arbitrary: fc
        .constantFrom(
          '/channels/a/b',
          '/channelsx',
          '/nope',
          '/graphql',
          '/actions/say-hello',
          '/asyncapi',
        )
        .map((path) => ({ path, opensWithAnswer: false })),
      weight: 1,
    },
  )
}

/** Hostile websocket sessions derived from the channels of the served AsyncAPI document. */
export function websocketCases(
  channels: readonly ChannelInfo[],
  tokens: WsTokens,
): fc.Arbitrary<WsCase> {
  const anyToken = fc.constantFrom(...tokens.valid, ...tokens.bad)
  return fc
    .record({
      target: pathArbitrary(channels),
      // Mostly none: a refused token closes the socket at once, and the steps are the point.
      authorization: fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 8 },
        {
          arbitrary: fc.oneof(
            anyToken.map((t) => `Bearer ${t}`),
            fc.constantFrom('Bearer', 'Basic Zm9vOmJhcg==', 'x'),
          ),
          weight: 2,
        },
      ),
      protocols: fc.oneof(
        { arbitrary: fc.constant<string[]>([]), weight: 9 },
        { arbitrary: anyToken.map((t) => ['bearer', t]), weight: 1 },
        { arbitrary: fc.constantFrom(['bearer'], ['graphql-ws'], ['bearer', 'x', 'y']), weight: 1 },
      ),
      steps: fc.array(stepArbitrary(channels, tokens), { minLength: 1, maxLength: 6 }),
    })
    .map(({ target, authorization, protocols, steps }): WsCase => ({
      trigger: 'websocket' as const,
      label: `WS ${target.path.slice(0, 120)}${authorization === undefined ? '' : ` authorization=${authorization.slice(0, 30)}`}${protocols.length === 0 ? '' : ` protocols=${protocols.join(',').slice(0, 40)}`}: ${steps.map((s) => s.label).join(' | ')}`,
      path: target.path,
      headers: authorization === undefined ? {} : ({ authorization } as Record<string, string>),
      protocols,
      opensWithAnswer: target.opensWithAnswer,
      steps,
    }))
}
