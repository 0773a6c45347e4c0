import { Parser } from '@asyncapi/parser'
import { Ajv } from 'ajv'
import {
  action,
  anyScope,
  channel,
  createRegistry,
  Type,
  WEB_GET,
  WEB_POST,
  web,
} from '@servey/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  connect,
  startServer,
  testApp,
  tokenFor,
  type TestClient,
  type TestServer,
} from '../test-support/channels-server.ts'
import { buildAsyncApiDocument, MULTIPLEXED_KEY } from './asyncapi-document.ts'

type Json = Record<string, any>

const parser = new Parser()

/** Errors and warnings of the official parser (its spectral rules), as `code at path: message`. */
async function problems(document: unknown): Promise<string[]> {
  const { diagnostics } = await parser.parse(JSON.stringify(document))
  // Severity 0 is an error, 1 a warning; 2 and 3 are hints (such as "3.1.0 exists").
  return diagnostics
    .filter((item) => item.severity <= 1)
    .map((item) => `${String(item.code)} at ${item.path.join('.')}: ${item.message}`)
}

describe('buildAsyncApiDocument', { timeout: 30_000 }, () => {
  const Point = Type.Object({ x: Type.Number(), y: Type.Number() }, { $id: 'Point' })
  const app = {
    ...testApp(),
    moves: channel('player_moves', {
      payload: Type.Object({ from: Point, to: Point }),
      description: 'Where players go',
      examples: [
        {
          name: 'step',
          event: { from: { x: 0, y: 0 }, to: { x: 1, y: 0 } },
          description: 'One step',
        },
      ],
    }),
    scoped: channel('staff_notes', { payload: Type.String(), access: anyScope('staff', 'admin') }),
  }
  const document = buildAsyncApiDocument(createRegistry(app), {
    title: 'Test app',
    version: '1.2.3',
    license: { name: 'MIT' },
    server: { host: 'localhost:8000' },
  }) as Json

  it('passes the official parser with no error and no warning, with and without a server', async () => {
    expect(await problems(document)).toEqual([])
    expect(await problems(buildAsyncApiDocument(createRegistry(app)))).toEqual([])
    expect(await problems(buildAsyncApiDocument(createRegistry({})))).toEqual([])
  }, 60_000)

  it('lists the actions that declare publishes on the channel (x-servey-publishers), with their REST route', async () => {
    const notes = channel('notes', { payload: Type.String() })
    const quiet = channel('quiet', { payload: Type.String() })
    const publishers = {
      notes,
      quiet,
      post_note: action(
        {
          triggers: [WEB_POST],
          publishes: [notes],
          params: Type.Object({ text: Type.String() }),
          description: 'Post a note',
          examples: [
            { name: 'hidden', params: { text: 'not shown' }, includeInSchema: false },
            { name: 'hello', params: { text: 'hello' } },
          ],
        },
        async ({ text }, context) => (await context.publish(notes, text)).id,
      ),
      ping_note: action(
        {
          triggers: [web({ method: 'GET', path: '/notes/:text' })],
          publishes: [notes],
          params: Type.Object({ text: Type.String() }),
        },
        async ({ text }, context) => (await context.publish(notes, text)).id,
      ),
      nightly_note: action({ publishes: [notes] }, async (_params, context) => {
        await context.publish(notes, 'nightly')
      }),
      undeclared: action({ triggers: [WEB_GET] }, async (_params, context) => {
        await context.publish(quiet, 'x')
      }),
    }
    const built = buildAsyncApiDocument(createRegistry(publishers)) as Json
    expect(built['channels']['notes']['x-servey-publishers']).toEqual([
      { action: 'nightly_note' },
      {
        action: 'ping_note',
        http: { method: 'GET', path: '/notes/:text', input: 'query' },
      },
      {
        action: 'post_note',
        description: 'Post a note',
        http: { method: 'POST', path: '/actions/post-note', input: 'body' },
        exampleParams: { text: 'hello' },
      },
    ])
    expect(built['operations']['notes.events']['description']).toContain(
      'Published by `nightly_note`, `ping_note` (`GET /notes/:text`), `post_note` (`POST /actions/post-note`)',
    )
    // An action that publishes without declaring it is not known to publish.
    expect(built['channels']['quiet']).not.toHaveProperty('x-servey-publishers')
    expect(await problems(built)).toEqual([])
  }, 60_000)

  it('names each channel at its kebab-case path, with the SSE form and the multiplexed socket', () => {
    expect(document['asyncapi']).toBe('3.0.0')
    expect(document['info']).toMatchObject({
      title: 'Test app',
      version: '1.2.3',
      license: { name: 'MIT' },
    })
    expect(document['channels']['player_moves'].address).toBe('/channels/player-moves')
    expect(document['channels']['player_moves.sse'].address).toBe('/channels/player-moves')
    expect(document['channels'][MULTIPLEXED_KEY].address).toBe('/channels')
    expect(document['servers']).toEqual({
      ws: { host: 'localhost:8000', protocol: 'ws', title: 'Websocket' },
      http: { host: 'localhost:8000', protocol: 'http', title: 'Server-Sent Events' },
    })
    expect(document['channels']['player_moves'].servers).toEqual([{ $ref: '#/servers/ws' }])
    expect(document['channels']['player_moves.sse'].servers).toEqual([{ $ref: '#/servers/http' }])
  })

  it('describes events in the envelope, with the payload schema, named types and examples', () => {
    const message = document['components']['messages']['event.player_moves']
    expect(message.summary).toBe('Where players go')
    expect(message.payload.required).toEqual(['channel', 'id', 'event'])
    expect(message.payload.properties.channel).toEqual({ type: 'string', const: 'player_moves' })
    expect(message.payload.properties.event.properties.from).toEqual({
      $ref: '#/components/schemas/Point',
    })
    expect(document['components']['schemas']['Point']).toMatchObject({
      type: 'object',
      required: ['x', 'y'],
    })
    expect(message.examples).toEqual([
      {
        name: 'step',
        summary: 'One step',
        payload: {
          channel: 'player_moves',
          id: '1733400000000-0',
          event: { from: { x: 0, y: 0 }, to: { x: 1, y: 0 } },
        },
      },
    ])
  })

  it('puts security on protected channels only, and names their access', () => {
    const operations = document['operations']
    expect(operations['messenger.events'].security).toBeUndefined()
    expect(operations['admin_feed.events'].security).toEqual([
      { $ref: '#/components/securitySchemes/bearer' },
      { $ref: '#/components/securitySchemes/bearerProtocol' },
    ])
    expect(operations['admin_feed.sse.events'].security).toEqual([
      { $ref: '#/components/securitySchemes/bearer' },
    ])
    expect(document['channels']['staff_notes']['x-servey-access']).toEqual({
      kind: 'scopes',
      mode: 'any',
      scopes: ['staff', 'admin'],
    })
    expect(document['channels']['staff_notes'].description).toContain('any of: staff, admin')
    expect(document['components']['securitySchemes']['bearerProtocol']).toMatchObject({
      type: 'httpApiKey',
      in: 'header',
      name: 'Sec-WebSocket-Protocol',
    })
  })

  it('describes the multiplexed protocol: subscribe, unsubscribe and auth with their replies', () => {
    const multiplexed = document['channels'][MULTIPLEXED_KEY]
    expect(Object.keys(multiplexed.messages)).toEqual(
      expect.arrayContaining(['event.messenger', 'subscribe', 'unsubscribe', 'auth', 'error']),
    )
    expect(document['operations']['multiplexed.subscribe']).toMatchObject({
      action: 'receive',
      reply: {
        messages: [
          { $ref: `#/channels/${MULTIPLEXED_KEY}/messages/subscribed` },
          { $ref: `#/channels/${MULTIPLEXED_KEY}/messages/resume_gap` },
          { $ref: `#/channels/${MULTIPLEXED_KEY}/messages/error` },
        ],
      },
    })
  })
})

/**
 * The document against the frames a real server sends and accepts: every frame a client
 * receives on an endpoint matches one of the messages that endpoint's channel lists, and every
 * frame the server accepts matches a client message.
 */
describe('the document matches the wire', { timeout: 30_000 }, () => {
  let server: TestServer
  let document: Json
  const ajv = new Ajv({ strict: false })

  beforeAll(async () => {
    server = await startServer()
    const response = await server.app.inject({
      url: '/asyncapi.json',
      headers: { host: 'example.test:8000' },
    })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
    document = response.json() as Json
  })
  afterAll(async () => {
    await server.close()
  })

  /** The names of the messages of `channelKey` whose payload schema accepts `frame`. */
  function matching(channelKey: string, frame: unknown): string[] {
    const messages = document['channels'][channelKey].messages as Record<string, { $ref: string }>
    return Object.entries(messages)
      .filter(([, reference]) => {
        const name = reference.$ref.split('/').pop() as string
        const schema = document['components']['messages'][name].payload as Json
        return ajv.validate({ ...schema, components: document['components'] }, frame)
      })
      .map(([key]) => key)
  }

  async function frames(client: TestClient, count: number): Promise<Json[]> {
    const out: Json[] = []
    for (let i = 0; i < count; i++) out.push(await client.next())
    return out
  }

  it('serves the request origin as the websocket and SSE servers', () => {
    expect(document['servers']['ws']).toMatchObject({ host: 'example.test:8000', protocol: 'ws' })
    expect(document['servers']['http']).toMatchObject({
      host: 'example.test:8000',
      protocol: 'http',
    })
  })

  it('single-channel sockets: subscribed, events, auth, errors and refusals', async () => {
    const open = await connect(`${server.url}/channels/messenger`)
    const [subscribed] = await frames(open, 1)
    await server.hub.publish('messenger', 'hi')
    const [event] = await frames(open, 1)
    const auth = { type: 'auth', token: await tokenFor('alice') }
    expect(matching('messenger', auth)).toEqual(['auth'])
    open.send(auth)
    const [authenticated] = await frames(open, 1)
    open.send('not json')
    const [error] = await frames(open, 1)
    expect(subscribed).toMatchObject({ type: 'subscribed' })
    expect(event).toMatchObject({ channel: 'messenger', event: 'hi' })
    expect(authenticated).toEqual({ type: 'authenticated', subject: 'alice' })
    expect(error).toMatchObject({ type: 'error', code: 'MALFORMED_JSON' })
    expect([subscribed, event, authenticated, error].map((f) => matching('messenger', f))).toEqual([
      ['subscribed'],
      ['messenger'],
      ['authenticated'],
      ['error'],
    ])
    open.socket.close()

    const refused = await connect(`${server.url}/channels/admin-feed`, {
      headers: { authorization: `Bearer ${await tokenFor('bob')}` },
    })
    const [forbidden] = await frames(refused, 1)
    expect(forbidden).toMatchObject({ type: 'error', code: 'FORBIDDEN', channel: 'admin-feed' })
    expect(matching('admin_feed', forbidden)).toEqual(['error'])
    expect((await refused.closed).code).toBe(1008)
  })

  it('the multiplexed socket: subscribe, events of two channels, unsubscribe, errors', async () => {
    const client = await connect(`${server.url}/channels`)
    const sent = [
      { type: 'subscribe', channel: 'messenger' },
      { type: 'subscribe', channel: 'inbox' },
      { type: 'subscribe', channel: 'admin_feed' },
      { type: 'subscribe', channel: 'nope' },
    ]
    const replies: Json[] = []
    for (const frame of sent) {
      expect(matching(MULTIPLEXED_KEY, frame)).toEqual(['subscribe'])
      client.send(frame)
      replies.push(...(await frames(client, 1)))
    }
    await server.hub.publish('messenger', 'hello')
    await server.hub.publish('inbox', { to: '*', text: 'all' })
    const events = await frames(client, 2)
    const unsubscribe = { type: 'unsubscribe', channel: 'inbox' }
    expect(matching(MULTIPLEXED_KEY, unsubscribe)).toEqual(['unsubscribe'])
    client.send(unsubscribe)
    const [unsubscribed] = await frames(client, 1)
    expect(replies.map((frame) => [frame['type'], frame['code']])).toEqual([
      ['subscribed', undefined],
      ['subscribed', undefined],
      ['error', 'UNAUTHENTICATED'],
      ['error', 'UNKNOWN_CHANNEL'],
    ])
    expect(
      [...replies, ...events, unsubscribed].map((frame) => matching(MULTIPLEXED_KEY, frame)),
    ).toEqual([
      ['subscribed'],
      ['subscribed'],
      ['error'],
      ['error'],
      ['event.messenger'],
      ['event.inbox'],
      ['unsubscribed'],
    ])
    client.socket.close()
  })

  it('resume_gap frames', async () => {
    const short = await startServer({ history: { maxLength: 1 } })
    try {
      const first = await short.hub.publish('messenger', 'a')
      await short.hub.publish('messenger', 'b')
      await short.hub.publish('messenger', 'c')
      const client = await connect(`${short.url}/channels/messenger?since=${first.id}`)
      const [gap, replayed] = await frames(client, 2)
      expect(gap).toEqual({ type: 'resume_gap', channel: 'messenger', since: first.id })
      expect(matching('messenger', gap)).toEqual(['resume_gap'])
      expect(matching('messenger', replayed)).toEqual(['messenger'])
      client.socket.close()
    } finally {
      await short.close()
    }
  })
})
