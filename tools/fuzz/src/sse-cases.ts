import fc from 'fast-check'
import type { ChannelInfo, WsTokens } from './websocket-cases.ts'

/** One SSE request: `GET <target>` with these headers, read for a while, then dropped. */
export interface SseRequest {
  readonly target: string
  readonly headers: Readonly<Record<string, string>>
  /**
   * When the client goes away: before any answer (`0`: right after the request is written),
   * or this many milliseconds after the answer's head.
   */
  readonly dropAfterMs: number
  readonly dropBeforeAnswer: boolean
}

export interface SseCase {
  readonly trigger: 'sse'
  readonly label: string
  /** One stream, or many opened at once and dropped at different moments. */
  readonly requests: readonly SseRequest[]
}

/** `since` and `Last-Event-ID` values: ids, ids at and past their bounds, and not ids at all. */
const eventIdText = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      '0-0',
      '1733400000000-0',
      `${Date.now()}-0`,
      '9999999999999999-9999999999999999',
      '9007199254740993-0',
      '99999999999999999-0',
    ),
    weight: 3,
  },
  {
    arbitrary: fc.constantFrom(
      '',
      ' ',
      'abc',
      '1-',
      '-1-0',
      '1-0-0',
      '1.5-0',
      '0x1-0',
      '１-0',
      '1733400000000-0 ',
      'x'.repeat(5_000),
      '%31-0',
      'null',
      'undefined',
      '__proto__',
    ),
    weight: 3,
  },
  { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
)

/** Accept headers: the right one, close ones, wrong ones and none. */
const accept = fc.oneof(
  { arbitrary: fc.constant('text/event-stream'), weight: 8 },
  {
    arbitrary: fc.constantFrom(
      undefined,
      '*/*',
      'text/*',
      'application/json',
      'text/html',
      'text/event-stream;q=0',
      'TEXT/EVENT-STREAM',
      'application/json, text/event-stream',
      'text/event-streamx',
      'text/event-stream; charset=utf-16',
      '',
      'x'.repeat(8_000),
    ),
    weight: 2,
  },
)

/** The query string after `?`: `since` once, twice, empty, encoded; other parameters. */
function queryArbitrary() {
  const encode = (text: string) => encodeURIComponent(text)
  return fc.oneof(
    { arbitrary: fc.constant(''), weight: 8 },
    { arbitrary: eventIdText.map((id) => `since=${encode(id)}`), weight: 3 },
    {
      arbitrary: fc.constantFrom(
        'since=1-0&since=2-0',
        'since[]=1-0',
        'since[a]=1',
        'since',
        'since=',
        'since=%E0%A4%A',
        'since=%00',
        '__proto__[since]=1-0',
        'constructor[prototype][since]=1-0',
        'channel=messenger',
        `${'a'.repeat(3_000)}=1`,
        '&&&=&=',
        '%',
        'since=1-0#fragment',
      ),
      weight: 2,
    },
  )
}

/** Channel paths: each channel in both spellings, unknown, odd and badly encoded names. */
function pathArbitrary(channels: readonly ChannelInfo[]) {
  const names = channels.flatMap((c) => [c.name, c.address.slice('/channels/'.length)])
  return fc.oneof(
    { arbitrary: fc.constantFrom(...names), weight: 8 },
    {
      arbitrary: fc.constantFrom(
        'nope',
        '__proto__',
        'constructor',
        '%E0%A4%A',
        '%00',
        'a%2Fb',
        '%6Dessenger',
        'MESSENGER',
        'messenger%20',
        'n'.repeat(3_000),
        '#connection',
      ),
      weight: 2,
    },
  )
}

/** Credentials: none most often; valid and refused tokens, and junk. */
function authorization(tokens: WsTokens) {
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 6 },
    {
      arbitrary: fc.constantFrom(...tokens.valid, ...tokens.bad).map((t) => `Bearer ${t}`),
      weight: 2,
    },
    { arbitrary: fc.constantFrom('Bearer', 'Basic Zm9vOmJhcg==', 'x', 'Bearer  '), weight: 1 },
  )
}

/** One SSE request: a channel path, query, `Accept`, `Last-Event-ID`, credentials, when to drop. */
export function requestArbitrary(
  channels: readonly ChannelInfo[],
  tokens: WsTokens,
): fc.Arbitrary<SseRequest> {
  return fc
    .record({
      path: pathArbitrary(channels),
      query: queryArbitrary(),
      accept,
      lastEventId: fc.option(eventIdText, { freq: 4, nil: undefined }),
      authorization: authorization(tokens),
      extra: fc.option(
        fc.constantFrom<Record<string, string>>(
          { 'cache-control': 'no-cache' },
          { connection: 'close' },
          { 'accept-encoding': 'gzip, br' },
          { 'last-event-id': '1-0', 'Last-Event-ID': '2-0' },
          { 'x-forwarded-for': '1.2.3.4, <script>' },
          { range: 'bytes=0-10' },
          { 'if-none-match': '*' },
        ),
        { freq: 4, nil: undefined },
      ),
      drop: fc.oneof(
        { arbitrary: fc.integer({ min: 0, max: 150 }), weight: 4 },
        { arbitrary: fc.constant(-1), weight: 1 },
      ),
    })
    .map(({ path, query, accept, lastEventId, authorization, extra, drop }): SseRequest => {
      const headers: Record<string, string> = { ...extra }
      if (accept !== undefined) headers['accept'] = accept
      if (lastEventId !== undefined) headers['last-event-id'] = lastEventId
      if (authorization !== undefined) headers['authorization'] = authorization
      return {
        target: `/channels/${path}${query === '' ? '' : `?${query}`}`,
        headers,
        dropAfterMs: Math.max(drop, 0),
        dropBeforeAnswer: drop === -1,
      }
    })
}

/**
 * Hostile Server-Sent Events requests derived from the channels of the served AsyncAPI
 * document: one stream with hostile `Last-Event-ID`, `since`, query strings, `Accept` headers,
 * credentials and channel names, read for up to 150 ms and dropped; or a burst of up to 30
 * such streams opened at once and dropped at different moments, some before any answer.
 */
export function sseCases(
  channels: readonly ChannelInfo[],
  tokens: WsTokens,
): fc.Arbitrary<SseCase> {
  const one = requestArbitrary(channels, tokens)
  const describe = (request: SseRequest) =>
    `GET ${request.target.slice(0, 120)} ${JSON.stringify(request.headers).slice(0, 200)}${request.dropBeforeAnswer ? ' dropped before the answer' : ` dropped after ${request.dropAfterMs} ms`}`
  return fc.oneof(
    {
      arbitrary: one.map((request): SseCase => ({
        trigger: 'sse',
        label: describe(request),
        requests: [request],
      })),
      weight: 5,
    },
    {
      arbitrary: fc.array(one, { minLength: 5, maxLength: 30 }).map((requests): SseCase => ({
        trigger: 'sse',
        label: `burst of ${requests.length}: ${requests.map(describe).join(' | ').slice(0, 600)}`,
        requests,
      })),
      weight: 1,
    },
  )
}
