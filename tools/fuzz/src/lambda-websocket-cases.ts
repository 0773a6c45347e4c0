import fc from 'fast-check'
import { deepText, hostileValueText, notJsonText } from './hostile-values.ts'
import { frameArbitrary, type ChannelInfo, type WsTokens } from './websocket-cases.ts'

/** One event of a session, as API Gateway's websocket API hands it to the function. */
export interface LambdaWsEvent {
  readonly label: string
  readonly event: unknown
  /**
   * Whether the event still has the shape by which a function knows a websocket event
   * (`requestContext.connectionId` and `requestContext.routeKey` strings): one broken past it is
   * judged as an event of no known shape, refused with a coded invocation error.
   */
  readonly websocket: boolean
  /** The route it takes: `$connect`, `$disconnect`, anything else is a message (`$default`). */
  readonly route: string
}

export interface LambdaWsCase {
  readonly trigger: 'lambda-ws'
  readonly label: string
  readonly connectionId: string
  /**
   * The id is this case's alone (not one of the hostile ids other cases share), so what the
   * function stored for it is this session's state and nobody else's.
   */
  readonly ownConnection: boolean
  readonly events: readonly LambdaWsEvent[]
}

/** Values of the wrong type for a field API Gateway always sends as a string or a map. */
const wrongType = fc.constantFrom<unknown>(
  1,
  0,
  true,
  null,
  '',
  [],
  ['x'],
  {},
  { a: 1 },
  { ['__proto__']: 'x' },
)

/** Connection ids API Gateway would never send: empty, huge, control characters, keys. */
const hostileConnectionId = fc.constantFrom(
  '',
  ' ',
  '#connection',
  '__proto__',
  'constructor',
  '../@connections/x',
  'a/b?c=d#e',
  'x'.repeat(3_000),
  'é'.repeat(1_100),
  '\u0000',
  'a\u0000b',
  '\ud800',
  '%00',
  'L0SM9cOFvHcCIhw=\n',
)

/** Route keys: the three routes, and ones no stack of `servey sls` has (taken as messages). */
const routeKey = fc.oneof(
  // Mostly messages, so that sessions go on; a second $connect or an early $disconnect at times.
  { arbitrary: fc.constant('$default'), weight: 24 },
  { arbitrary: fc.constantFrom('$connect', '$disconnect'), weight: 2 },
  {
    arbitrary: fc.constantFrom('$CONNECT', 'subscribe', '', ' $connect', '$connect\u0000'),
    weight: 1,
  },
)

const base64Alphabet = fc.constantFrom(
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split(''),
)
/** A connection id as API Gateway makes them: 16 characters ending in `=`. */
const realConnectionId = fc
  .array(base64Alphabet, { minLength: 15, maxLength: 15 })
  .map((chars) => `${chars.join('')}=`)

function requestContext(route: string, connectionId: string): Record<string, unknown> {
  return {
    routeKey: route,
    eventType:
      route === '$connect' ? 'CONNECT' : route === '$disconnect' ? 'DISCONNECT' : 'MESSAGE',
    connectionId,
    domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
    stage: 'dev',
    apiId: 'abc123',
    requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    extendedRequestId: 'L0SM9cOFvHcF3xA=',
    messageDirection: 'IN',
    connectedAt: 1733400000000,
    requestTimeEpoch: 1733400000123,
    identity: { sourceIp: '203.0.113.7' },
  }
}

/** Fields of `requestContext` that may be broken: a wrong type, an odd value, or missing. */
const CONTEXT_FIELDS = ['routeKey', 'connectionId', 'domainName', 'stage', 'eventType', 'apiId']
/** Top-level fields that may be broken the same way. */
const EVENT_FIELDS = [
  'headers',
  'multiValueHeaders',
  'queryStringParameters',
  'multiValueQueryStringParameters',
  'body',
  'isBase64Encoded',
  'requestContext',
]

const oddValue = fc.oneof(
  { arbitrary: wrongType, weight: 3 },
  {
    arbitrary: fc.constantFrom<unknown>(undefined, 'x'.repeat(100_000), '\ud800', 'true'),
    weight: 2,
  },
)

const breakage = fc.array(
  fc.oneof(
    fc.record({
      where: fc.constant('context' as const),
      field: fc.constantFrom(...CONTEXT_FIELDS),
      value: oddValue,
    }),
    fc.record({
      where: fc.constant('event' as const),
      field: fc.constantFrom(...EVENT_FIELDS),
      value: oddValue,
    }),
  ),
  { maxLength: 2 },
)

type Breakage = ReturnType<typeof breakage.generate>['value']

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Applies the breakage; reports whether the event is still a websocket event, and its route. */
function broken(
  event: Record<string, unknown>,
  edits: Breakage,
): { websocket: boolean; route: string; shown: string } {
  for (const { where, field, value } of edits) {
    const target = where === 'event' ? event : event['requestContext']
    if (!isObject(target)) continue
    // A copy: fast-check hands out the same constant object to every case, so setting it in
    // place would let one edit reach into another's value (a cycle, or another case's event).
    if (value === undefined) delete target[field]
    else target[field] = structuredClone(value)
  }
  const context = event['requestContext']
  const websocket =
    isObject(context) &&
    typeof context['connectionId'] === 'string' &&
    typeof context['routeKey'] === 'string'
  return {
    websocket,
    route: websocket ? String((context as Record<string, unknown>)['routeKey']) : 'none',
    shown: edits
      .map(
        (e) =>
          `${e.where === 'context' ? 'requestContext.' : ''}${e.field}=${JSON.stringify(e.value)?.slice(0, 30) ?? 'missing'}`,
      )
      .join(' '),
  }
}

/** Headers of a `$connect`: credentials by header or subprotocol, good, forged or junk. */
function connectHeaders(tokens: WsTokens) {
  const token = fc.oneof(
    { arbitrary: fc.constantFrom(...tokens.valid), weight: 2 },
    { arbitrary: fc.constantFrom(...tokens.bad), weight: 2 },
  )
  return fc.oneof(
    { arbitrary: fc.constant({}), weight: 5 },
    {
      arbitrary: token.map((t) => ({ Authorization: `Bearer ${t}` })),
      weight: 2,
    },
    {
      arbitrary: token.map((t) => ({ 'Sec-WebSocket-Protocol': `bearer, ${t}` })),
      weight: 1,
    },
    {
      arbitrary: fc.constantFrom<Record<string, unknown>>(
        { authorization: 'Bearer' },
        { authorization: 'Basic Zm9vOmJhcg==' },
        { authorization: 'x' },
        { Authorization: 'Bearer a', authorization: 'Bearer b' },
        { 'sec-websocket-protocol': 'bearer' },
        { 'sec-websocket-protocol': 'bearer, , ,' },
        { 'sec-websocket-protocol': 'graphql-ws' },
        { 'sec-websocket-protocol': `bearer, ${'a'.repeat(9_000)}` },
        { authorization: 1 },
        { authorization: ['Bearer x'] },
      ),
      weight: 1,
    },
  )
}

/** `?channel=` (subscribe at connect) and `?since=`, with hostile values. */
function connectQuery(channels: readonly ChannelInfo[]) {
  const names = channels.flatMap((c) => [c.name, c.address.slice('/channels/'.length)])
  const value = fc.oneof(
    { arbitrary: fc.constantFrom<unknown>(...names), weight: 4 },
    {
      arbitrary: fc.constantFrom<unknown>(
        'nope',
        '__proto__',
        '#connection',
        '',
        'x'.repeat(5_000),
        '%E0%A4%A',
        ['messenger'],
        1,
        null,
      ),
      weight: 2,
    },
  )
  const since = fc.constantFrom<unknown>(
    '0-0',
    '1733400000000-0',
    'abc',
    '1-',
    '',
    'x'.repeat(5_000),
  )
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 4 },
    {
      arbitrary: fc
        .record({
          channel: fc.option(value, { nil: undefined }),
          since: fc.option(since, { nil: undefined }),
        })
        .map(({ channel, since }) => ({
          ...(channel === undefined ? {} : { channel }),
          ...(since === undefined ? {} : { since }),
        })),
      weight: 3,
    },
  )
}

/** A message body: the websocket trigger's frames, text that is not a frame, huge, or base64. */
function messageBody(channels: readonly ChannelInfo[], tokens: WsTokens) {
  const frame = frameArbitrary(channels, tokens)
  return fc.oneof(
    {
      arbitrary: frame.map((text) => ({ body: text as unknown, base64: false as unknown })),
      weight: 10,
    },
    {
      arbitrary: fc
        .oneof(notJsonText, hostileValueText, deepText)
        .map((text) => ({ body: text as unknown, base64: false as unknown })),
      weight: 3,
    },
    {
      // Unsubscribes from names that are keys of the connections table, or past its key size,
      // more often than the frame grammar would send them: the next frame shows what remains.
      arbitrary: fc
        .constantFrom('#connection', '#CONNECTION', 'x'.repeat(1_100), '\ud800', 'messenger')
        .map((name) => ({
          body: JSON.stringify({ type: 'unsubscribe', channel: name }) as unknown,
          base64: false as unknown,
        })),
      weight: 1,
    },
    {
      // Over the 64 KiB frame limit, by characters or by UTF-8 bytes.
      arbitrary: fc
        .constantFrom(
          'x'.repeat(70_000),
          'é'.repeat(40_000),
          `{"type":"auth","token":"${'a'.repeat(70_000)}"}`,
        )
        .map((text) => ({ body: text as unknown, base64: false as unknown })),
      weight: 1,
    },
    {
      // API Gateway sends a binary message base64-encoded with the flag set.
      arbitrary: fc
        .oneof(
          frame,
          fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('latin1')),
        )
        .map((text) => ({
          body: Buffer.from(text, 'latin1').toString('base64') as unknown,
          base64: true as unknown,
        })),
      weight: 1,
    },
    {
      arbitrary: fc.record({
        body: fc.oneof(
          frame.map((t): unknown => t),
          wrongType,
          fc.constant(undefined),
        ),
        base64: fc.constantFrom<unknown>(undefined, 'true', 1, null),
      }),
      weight: 1,
    },
  )
}

/**
 * Hostile sessions of API Gateway websocket events for the function that answers them: a
 * `$connect` (credentials good, forged or junk, `?channel=` and `?since=`), messages made by the
 * websocket trigger's frame grammar (and text that is not a frame, frames over the limit, base64
 * bodies), and a `$disconnect`, on a connection id as API Gateway makes them or a hostile one,
 * with up to two fields per event of the wrong type or missing.
 */
export function lambdaWebsocketCases(
  channels: readonly ChannelInfo[],
  tokens: WsTokens,
): fc.Arbitrary<LambdaWsCase> {
  const message = fc.record({
    body: messageBody(channels, tokens),
    route: routeKey,
    edits: breakage,
    broken: fc.oneof(
      { arbitrary: fc.constant(false), weight: 5 },
      { arbitrary: fc.constant(true), weight: 1 },
    ),
  })
  return fc
    .record({
      id: fc.oneof(
        { arbitrary: realConnectionId.map((id) => ({ id, own: true })), weight: 9 },
        { arbitrary: hostileConnectionId.map((id) => ({ id, own: false })), weight: 1 },
      ),
      connect: fc.oneof(
        {
          arbitrary: fc.record({
            headers: connectHeaders(tokens),
            query: connectQuery(channels),
            edits: breakage,
            broken: fc.boolean(),
          }),
          weight: 6,
        },
        { arbitrary: fc.constant(undefined), weight: 1 },
      ),
      messages: fc.array(message, { minLength: 0, maxLength: 5 }),
      disconnect: fc.oneof(
        { arbitrary: fc.constant(true), weight: 2 },
        { arbitrary: fc.constant(false), weight: 1 },
      ),
    })
    .map(({ id, connect, messages, disconnect }): LambdaWsCase => {
      const events: LambdaWsEvent[] = []
      if (connect !== undefined) {
        const event: Record<string, unknown> = {
          headers: connect.headers,
          multiValueHeaders: Object.fromEntries(
            Object.entries(connect.headers).map(([k, v]) => [k, [v]]),
          ),
          ...(connect.query === undefined
            ? {}
            : {
                queryStringParameters: connect.query,
                multiValueQueryStringParameters: Object.fromEntries(
                  Object.entries(connect.query).map(([k, v]) => [k, [v]]),
                ),
              }),
          isBase64Encoded: false,
          requestContext: requestContext('$connect', id.id),
        }
        const shape = broken(event, connect.broken ? connect.edits : [])
        events.push({
          label: `$connect ${JSON.stringify(connect.headers).slice(0, 80)} ${JSON.stringify(connect.query)?.slice(0, 80) ?? ''} ${shape.shown}`,
          event,
          ...shape,
        })
      }
      for (const { body, route, edits, broken: isBroken } of messages) {
        const event: Record<string, unknown> = {
          ...(body.body === undefined ? {} : { body: body.body }),
          ...(body.base64 === undefined ? {} : { isBase64Encoded: body.base64 }),
          requestContext: requestContext(route, id.id),
        }
        // Most messages keep their shape, so that the frame reaches the channels layer.
        const shape = broken(event, isBroken ? edits : [])
        events.push({
          label: `${route} ${typeof body.body === 'string' ? body.body.slice(0, 100) : JSON.stringify(body.body)?.slice(0, 40)}${body.base64 === false ? '' : ` base64=${JSON.stringify(body.base64)}`} ${shape.shown}`,
          event,
          ...shape,
        })
      }
      if (disconnect) {
        const event = {
          isBase64Encoded: false,
          requestContext: requestContext('$disconnect', id.id),
        }
        events.push({ label: '$disconnect', event, websocket: true, route: '$disconnect' })
      }
      return {
        trigger: 'lambda-ws',
        label:
          `WS-LAMBDA ${JSON.stringify(id.id.slice(0, 40))}: ${events.map((e) => e.label).join(' | ')}`.slice(
            0,
            2_000,
          ),
        connectionId: id.id,
        ownConnection: id.own,
        events,
      }
    })
}
