import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi'
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb'
import { action, anyScope, channel, createJwtIssuer, Type, WEB_POST } from '@servey/core'
import { mockClient } from 'aws-sdk-client-mock'
import dynalite from 'dynalite'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createLambdaHandler, type LambdaHandler } from '../create-lambda-handler.ts'
import { connectionsTableDefinition } from './connections-table.ts'
import { createDynamoConnectionStore } from './dynamo-connection-store.ts'

const SECRET = 'a-lambda-websocket-test-secret-long-enough'
const issuer = createJwtIssuer({ secret: SECRET })
const tokenFor = async (subject: string, scopes: string[] = []) =>
  (await issuer.issue({ subject, scopes })).token

const messenger = channel('messenger', { payload: Type.String() })
const staff_news = channel('staff_news', {
  payload: Type.Object({ to: Type.String(), text: Type.String() }),
  access: anyScope('staff'),
  // Each staff member sees the news addressed to them or to everyone.
  filter: (event, subscriber) => event.to === 'all' || event.to === subscriber?.subject,
})
const broadcast = action(
  {
    triggers: [WEB_POST],
    params: Type.Object({ message: Type.String(), to: Type.Optional(Type.String()) }),
    result: Type.String(),
  },
  async ({ message, to }, context) => (await context.publish(messenger, message, { to })).id,
)
const tell_staff = action(
  { params: Type.Object({ to: Type.String(), text: Type.String() }), result: Type.String() },
  async (event, context) => (await context.publish(staff_news, event)).id,
)
const app = { messenger, staff_news, broadcast, tell_staff }

const gateway = mockClient(ApiGatewayManagementApiClient)
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
const TABLE = 'h4-test-connections'
let env: NodeJS.ProcessEnv
let handler: LambdaHandler
let dynamo: DynamoDBClient

const context = (routeKey: string, connectionId: string) => ({
  routeKey,
  eventType:
    routeKey === '$connect' ? 'CONNECT' : routeKey === '$disconnect' ? 'DISCONNECT' : 'MESSAGE',
  connectionId,
  domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
  stage: 'dev',
  apiId: 'abc123',
  requestId: `req-${connectionId}`,
})
const connectEvent = (
  connectionId: string,
  headers: Record<string, string> = {},
  query?: Record<string, string>,
) => ({
  headers,
  isBase64Encoded: false,
  requestContext: context('$connect', connectionId),
  ...(query === undefined ? {} : { queryStringParameters: query }),
})
const frameEvent = (connectionId: string, body: unknown, isBase64Encoded = false) => ({
  body: typeof body === 'string' ? body : JSON.stringify(body),
  isBase64Encoded,
  requestContext: context('$default', connectionId),
})
const send = async (connectionId: string, body: unknown) => {
  const result = (await handler(frameEvent(connectionId, body))) as { body?: string }
  return result.body === undefined ? undefined : JSON.parse(result.body)
}
/** What PostToConnection carried, per connection. */
const posted = () =>
  gateway.commandCalls(PostToConnectionCommand).map((call) => ({
    to: call.args[0].input.ConnectionId,
    frame: JSON.parse(new TextDecoder().decode(call.args[0].input.Data as Uint8Array)),
  }))

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const credentials = { accessKeyId: 'fake', secretAccessKey: 'fake' }
  env = {
    JWT_SECRET_KEY: SECRET,
    LOG_LEVEL: 'silent',
    SERVEY_CONNECTIONS_TABLE: TABLE,
    SERVEY_DYNAMODB_ENDPOINT: endpoint,
  }
  // The SDK's default provider chains read these: fake, and nothing leaves the machine.
  process.env['AWS_REGION'] = 'eu-west-1'
  process.env['AWS_ACCESS_KEY_ID'] = credentials.accessKeyId
  process.env['AWS_SECRET_ACCESS_KEY'] = credentials.secretAccessKey
  dynamo = new DynamoDBClient({ endpoint, region: 'eu-west-1', credentials })
  const { BillingMode, ...table } = connectionsTableDefinition(TABLE)
  await dynamo.send(
    new CreateTableCommand({
      ...table,
      BillingMode,
      AttributeDefinitions: [...table.AttributeDefinitions],
      KeySchema: [...table.KeySchema],
      GlobalSecondaryIndexes: table.GlobalSecondaryIndexes.map((index) => ({
        ...index,
        KeySchema: [...index.KeySchema],
      })),
    }),
  )
  handler = createLambdaHandler({ actions: app, env })
})

afterAll(async () => {
  dynamo?.destroy()
  await new Promise((resolve) => server.close(resolve))
})

beforeEach(() => {
  gateway.reset()
  gateway.on(PostToConnectionCommand).resolves({})
  gateway.on(DeleteConnectionCommand).resolves({})
})

describe('websocket channels on Lambda (API Gateway websocket API, DynamoDB in dynalite)', () => {
  it('connects, subscribes, and delivers a published envelope with PostToConnection', async () => {
    expect(await handler(connectEvent('c-anon'))).toEqual({ statusCode: 200 })
    expect(await send('c-anon', { type: 'subscribe', channel: 'messenger' })).toEqual({
      type: 'subscribed',
      channel: 'messenger',
      connection: 'c-anon',
    })
    const id = await handler({ action: 'broadcast', params: { message: 'hi' } })
    expect(typeof id).toBe('string')
    expect(posted()).toContainEqual({
      to: 'c-anon',
      frame: { channel: 'messenger', id, event: 'hi' },
    })
    // Every row carries its TTL: API Gateway's 2-hour limit and a margin.
    const { Item } = await dynamo.send(
      new GetItemCommand({
        TableName: TABLE,
        Key: { connection_id: { S: 'c-anon' }, channel: { S: 'messenger' } },
      }),
    )
    const expires = Number(Item?.['expires_at']?.N)
    expect(expires - Date.now() / 1000).toBeGreaterThan(2 * 3600)
    expect(expires - Date.now() / 1000).toBeLessThan(3 * 3600)
    // The management client was made for the endpoint of the $connect event.
    const client = gateway.commandCalls(PostToConnectionCommand)[0]!
    const endpoint = await (client.thisValue as ApiGatewayManagementApiClient).config.endpoint?.()
    expect(`${endpoint?.protocol}//${endpoint?.hostname}${endpoint?.path}`).toBe(
      'https://abc123.execute-api.eu-west-1.amazonaws.com/dev',
    )
  })

  it('authenticates from the header or the bearer subprotocol (selected in the answer), and refuses a bad token', async () => {
    const token = await tokenFor('ann', ['staff'])
    expect(
      await handler(connectEvent('c-proto', { 'Sec-WebSocket-Protocol': `bearer, ${token}` })),
    ).toEqual({ statusCode: 200, headers: { 'Sec-WebSocket-Protocol': 'bearer' } })
    expect(await handler(connectEvent('c-header', { authorization: `Bearer ${token}` }))).toEqual({
      statusCode: 200,
    })
    expect(await handler(connectEvent('c-bad', { Authorization: 'Bearer nope' }))).toEqual({
      statusCode: 401,
    })
    // A refused handshake leaves nothing in the table.
    const store = createDynamoConnectionStore({ table: TABLE, client: dynamo })
    expect(await store.get('c-bad')).toBeUndefined()
    expect((await store.get('c-proto'))?.authorization?.subject).toBe('ann')
  })

  it('checks access on subscribe, keeps the authorization, and filters per subscriber', async () => {
    await handler(
      connectEvent('c-ann', { Authorization: `Bearer ${await tokenFor('ann', ['staff'])}` }),
    )
    await handler(
      connectEvent('c-bob', { Authorization: `Bearer ${await tokenFor('bob', ['staff'])}` }),
    )
    await handler(connectEvent('c-eve', { Authorization: `Bearer ${await tokenFor('eve')}` }))
    await handler(connectEvent('c-nobody'))
    for (const id of ['c-ann', 'c-bob']) {
      expect(await send(id, { type: 'subscribe', channel: 'staff-news' })).toMatchObject({
        type: 'subscribed',
        channel: 'staff_news',
      })
    }
    expect(await send('c-eve', { type: 'subscribe', channel: 'staff_news' })).toMatchObject({
      type: 'error',
      code: 'FORBIDDEN',
      channel: 'staff_news',
    })
    expect(await send('c-nobody', { type: 'subscribe', channel: 'staff_news' })).toMatchObject({
      type: 'error',
      code: 'UNAUTHENTICATED',
    })
    // Refused subscriptions were never stored.
    const store = createDynamoConnectionStore({ table: TABLE, client: dynamo })
    expect(await store.channelsOf('c-eve')).toEqual([])

    const id = await handler({ action: 'tell_staff', params: { to: 'ann', text: 'for ann' } })
    const all = await handler({ action: 'tell_staff', params: { to: 'all', text: 'for all' } })
    const got = (connection: string) =>
      posted()
        .filter((post) => post.to === connection)
        .map((post) => post.frame.event.text)
    expect(got('c-ann')).toEqual(['for ann', 'for all'])
    expect(got('c-bob')).toEqual(['for all'])
    expect(got('c-eve')).toEqual([])
    expect(posted().find((post) => post.to === 'c-ann')?.frame.id).toBe(id)
    expect(posted().filter((post) => post.frame.id === all)).toHaveLength(2)
  })

  it('publishes `to` one connection only', async () => {
    await handler(connectEvent('c-one'))
    await handler(connectEvent('c-two'))
    await send('c-one', { type: 'subscribe', channel: 'messenger' })
    await send('c-two', { type: 'subscribe', channel: 'messenger' })
    await handler({ action: 'broadcast', params: { message: 'psst', to: 'c-two' } })
    const psst = posted().filter((post) => post.frame.event === 'psst')
    expect(psst.map((post) => post.to)).toEqual(['c-two'])
  })

  it('removes a connection that answers 410 Gone, and keeps delivering to the others', async () => {
    await handler(connectEvent('c-stale'))
    await handler(connectEvent('c-fresh'))
    await send('c-stale', { type: 'subscribe', channel: 'messenger' })
    await send('c-fresh', { type: 'subscribe', channel: 'messenger' })
    gateway
      .on(PostToConnectionCommand, { ConnectionId: 'c-stale' })
      .rejects(new GoneException({ message: 'gone', $metadata: { httpStatusCode: 410 } }))
    await handler({ action: 'broadcast', params: { message: 'still there?' } })
    expect(
      posted()
        .filter((post) => post.frame.event === 'still there?')
        .map((p) => p.to),
    ).toContain('c-fresh')
    const store = createDynamoConnectionStore({ table: TABLE, client: dynamo })
    expect(await store.get('c-stale')).toBeUndefined()
    expect(await store.channelsOf('c-stale')).toEqual([])
    expect(await store.get('c-fresh')).toBeDefined()
    gateway.reset()
    gateway.on(PostToConnectionCommand).resolves({})
    await handler({ action: 'broadcast', params: { message: 'again' } })
    expect(posted().map((post) => post.to)).not.toContain('c-stale')
  })

  it('answers unsubscribe, and forgets the connection on $disconnect', async () => {
    await handler(connectEvent('c-bye'))
    await send('c-bye', { type: 'subscribe', channel: 'messenger' })
    expect(await send('c-bye', { type: 'unsubscribe', channel: 'messenger' })).toEqual({
      type: 'unsubscribed',
      channel: 'messenger',
    })
    await send('c-bye', { type: 'subscribe', channel: 'messenger' })
    expect(
      await handler({ requestContext: context('$disconnect', 'c-bye'), isBase64Encoded: false }),
    ).toEqual({ statusCode: 200 })
    const store = createDynamoConnectionStore({ table: TABLE, client: dynamo })
    expect(await store.get('c-bye')).toBeUndefined()
    expect(await store.channelsOf('c-bye')).toEqual([])
  })

  it('takes an auth frame: the connection continues as the new caller; a bad token closes it', async () => {
    await handler(connectEvent('c-later'))
    expect(await send('c-later', { type: 'subscribe', channel: 'staff_news' })).toMatchObject({
      code: 'UNAUTHENTICATED',
    })
    expect(
      await send('c-later', { type: 'auth', token: await tokenFor('ann', ['staff']) }),
    ).toEqual({ type: 'authenticated', subject: 'ann' })
    expect(await send('c-later', { type: 'subscribe', channel: 'staff_news' })).toMatchObject({
      type: 'subscribed',
    })
    expect(await send('c-later', { type: 'auth', token: 'forged' })).toBeUndefined()
    expect(posted()).toContainEqual({
      to: 'c-later',
      frame: expect.objectContaining({ type: 'error', code: 'UNAUTHENTICATED' }),
    })
    expect(gateway.commandCalls(DeleteConnectionCommand)[0]?.args[0].input.ConnectionId).toBe(
      'c-later',
    )
    const store = createDynamoConnectionStore({ table: TABLE, client: dynamo })
    expect(await store.get('c-later')).toBeUndefined()
  })

  it('subscribes at connect with ?channel=, refusing a caller without access before the socket opens', async () => {
    expect(await handler(connectEvent('c-q', {}, { channel: 'staff_news' }))).toEqual({
      statusCode: 401,
    })
    const eve = await tokenFor('eve')
    expect(
      await handler(
        connectEvent('c-q2', { Authorization: `Bearer ${eve}` }, { channel: 'staff_news' }),
      ),
    ).toEqual({ statusCode: 403 })
    expect(await handler(connectEvent('c-q3', {}, { channel: 'messenger' }))).toEqual({
      statusCode: 200,
    })
    const store = createDynamoConnectionStore({ table: TABLE, client: dynamo })
    expect(await store.channelsOf('c-q3')).toEqual(['messenger'])
  })

  it('answers bad frames with coded error frames, never a failed invocation', async () => {
    await handler(connectEvent('c-bad-frames'))
    expect(await send('c-bad-frames', '{not json')).toMatchObject({ code: 'MALFORMED_JSON' })
    expect(await send('c-bad-frames', { type: 'publish' })).toMatchObject({ code: 'BAD_REQUEST' })
    expect(await send('c-bad-frames', { type: 'subscribe', channel: 'nope' })).toMatchObject({
      code: 'UNKNOWN_CHANNEL',
      channel: 'nope',
    })
    expect(await send('c-bad-frames', 'x'.repeat(70_000))).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    })
    const binary = (await handler(frameEvent('c-bad-frames', 'AAEC', true))) as { body: string }
    expect(JSON.parse(binary.body)).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' })
    expect(await send('c-unknown', { type: 'subscribe', channel: 'messenger' })).toMatchObject({
      code: 'UNAUTHENTICATED',
    })
  })

  it('refuses a connection id API Gateway never makes with 400 or BAD_REQUEST, not a 500 (found by pnpm fuzz)', async () => {
    // Empty, past DynamoDB's 2,048-byte key, control characters: the table answered each with
    // a ValidationException, which the routes turned into a 500 and an INTERNAL frame.
    for (const id of ['', 'x'.repeat(3_000), 'a\u0000b', 'é'.repeat(20)]) {
      expect(await handler(connectEvent(id))).toEqual({ statusCode: 400 })
      expect(await send(id, { type: 'subscribe', channel: 'messenger' })).toMatchObject({
        type: 'error',
        code: 'BAD_REQUEST',
      })
      expect(
        await handler({ requestContext: context('$disconnect', id), isBase64Encoded: false }),
      ).toEqual({ statusCode: 400 })
    }
    // Ids as API Gateway and serverless-offline make them are taken.
    for (const id of ['L0SM9cOFvHcCIhw=', '0b0b4a8e-0000-4000-8000-000000000000']) {
      expect(await handler(connectEvent(id))).toEqual({ statusCode: 200 })
    }
  })

  it('unsubscribing from a channel nobody declared leaves the table alone (found by pnpm fuzz)', async () => {
    await handler(connectEvent('c-keys'))
    await send('c-keys', { type: 'subscribe', channel: 'messenger' })
    // `#connection` is the sort key of the connection's own row: deleting it made the function
    // forget an open connection. A name past the 1,024-byte sort key was an INTERNAL frame.
    for (const channel of ['#connection', 'x'.repeat(1_100)]) {
      expect(await send('c-keys', { type: 'unsubscribe', channel })).toEqual({
        type: 'unsubscribed',
        channel,
      })
    }
    const store = createDynamoConnectionStore({ table: TABLE, client: dynamo })
    expect(await store.get('c-keys')).toBeDefined()
    expect(await store.channelsOf('c-keys')).toEqual(['messenger'])
    expect(await send('c-keys', { type: 'subscribe', channel: 'staff_news' })).toMatchObject({
      code: 'UNAUTHENTICATED',
      detail: expect.not.stringMatching(/no longer known/),
    })
  })

  it('answers a subscribe with `since` with resume_gap first: a function keeps no history', async () => {
    await handler(connectEvent('c-since'))
    expect(
      await send('c-since', { type: 'subscribe', channel: 'messenger', since: '1733400000000-0' }),
    ).toMatchObject({ type: 'subscribed' })
    expect(posted()).toContainEqual({
      to: 'c-since',
      frame: { type: 'resume_gap', channel: 'messenger', since: '1733400000000-0' },
    })
  })
})
