import type { AddressInfo } from 'node:net'
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb'
import dynalite from 'dynalite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startServerlessOffline, type ServerlessOffline } from './serverless-offline.fixture.ts'
import { generateShowcaseProject, runServerless } from './serverless-project.fixture.ts'

interface Printed {
  functions: Record<string, { environment: Record<string, string>; events?: unknown[] }>
  resources: { Resources: Record<string, { Type: string; Properties: Record<string, any> }> }
}

// The generated stack's websocket API under serverless-offline, its connections table in
// dynalite (a DynamoDB emulator): a ws client subscribes, a REST call publishes.
describe('websocket channels of the generated showcase stack under serverless-offline', () => {
  let project: Awaited<ReturnType<typeof generateShowcaseProject>>
  let offline: ServerlessOffline | undefined
  let httpBase = ''
  let wsUrl = ''
  let dynamo: DynamoDBClient | undefined
  let tableName = ''
  const database = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })

  beforeAll(async () => {
    project = await generateShowcaseProject()
    // The configuration as Serverless resolves it for this stage: the table's name and the
    // name every function reads from SERVEY_CONNECTIONS_TABLE are the same string.
    const { stdout } = await runServerless(project.dir, [
      'print',
      '--format',
      'json',
      '--stage',
      'dev',
    ])
    const printed = JSON.parse(stdout) as Printed
    const table = printed.resources.Resources['ServeyConnectionsTable']
    expect(table?.Type).toBe('AWS::DynamoDB::Table')
    const { TimeToLiveSpecification, ...properties } = table!.Properties
    expect(TimeToLiveSpecification).toEqual({ AttributeName: 'expires_at', Enabled: true })
    tableName = String(properties['TableName'])
    expect(tableName).toBe('showcase-dev-connections')
    for (const [key, fn] of Object.entries(printed.functions)) {
      // Every function may publish, except the probes' one (servey_health), which has no app.
      expect(fn.environment['SERVEY_CONNECTIONS_TABLE']).toBe(
        key === 'servey_health' ? undefined : tableName,
      )
    }
    await new Promise<void>((resolve) => database.listen(0, '127.0.0.1', () => resolve()))
    const dynamoEndpoint = `http://127.0.0.1:${(database.address() as AddressInfo).port}`
    dynamo = new DynamoDBClient({
      endpoint: dynamoEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' },
    })
    // dynalite has no UpdateTimeToLive: the TTL is checked above, in the template.
    await dynamo.send(new CreateTableCommand({ ...properties, TableName: tableName } as never))

    // This suite's range (184xx), so parallel suites never collide.
    offline = await startServerlessOffline(project.dir, {
      ports: [18410, 18500],
      // The functions get this process's environment: the two endpoints below.
      offlineSettings: ['    localEnvironment: true'],
      env: ({ websocketPort }) => ({
        JWT_SECRET_KEY: 'a-serverless-offline-websocket-test-secret',
        // Offline, DynamoDB is dynalite and the management API is serverless-offline's.
        SERVEY_DYNAMODB_ENDPOINT: dynamoEndpoint,
        SERVEY_WEBSOCKET_ENDPOINT: `http://127.0.0.1:${websocketPort}`,
      }),
    })
    httpBase = `http://127.0.0.1:${offline.httpPort}`
    wsUrl = `ws://127.0.0.1:${offline.websocketPort}`
  }, 120_000)

  afterAll(async () => {
    await offline?.stop()
    dynamo?.destroy()
    await new Promise((resolve) => database.close(resolve))
    await project?.remove()
  }, 20_000)

  /** A ws client that keeps every frame, and waits for one that matches. */
  async function client(headers: Record<string, string> = {}) {
    const socket = new WebSocket(wsUrl, { headers })
    const frames: Array<Record<string, unknown>> = []
    socket.on('message', (data) => {
      frames.push(JSON.parse(String(data)) as Record<string, unknown>)
    })
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', (error) =>
        reject(new Error(`${error.message}\n${offline?.output().slice(-4000)}`)),
      )
    })
    const next = async (match: (frame: Record<string, unknown>) => boolean, ms = 30_000) => {
      const started = Date.now()
      for (;;) {
        const found = frames.find(match)
        if (found !== undefined) return found
        if (Date.now() - started > ms) {
          throw new Error(
            `no such frame in ${JSON.stringify(frames)}:\n${offline?.output().slice(-3000)}`,
          )
        }
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
    return { socket, frames, next }
  }

  const broadcast = async (params: Record<string, unknown>) => {
    const response = await fetch(`${httpBase}/actions/broadcast-message`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    })
    expect(response.status, await response.clone().text()).toBe(200)
    return (await response.json()) as string
  }
  const isEvent = (frame: Record<string, unknown>) =>
    frame['channel'] === 'messenger' && 'event' in frame

  it('delivers a broadcast_message to a subscribed ws client as {channel, id, event}', async () => {
    const { socket, next } = await client()
    try {
      socket.send(JSON.stringify({ type: 'subscribe', channel: 'messenger' }))
      const subscribed = await next((frame) => frame['type'] === 'subscribed')
      expect(subscribed).toMatchObject({ type: 'subscribed', channel: 'messenger' })
      socket.send(JSON.stringify({ type: 'subscribe', channel: 'no_such_channel' }))
      expect(await next((frame) => frame['type'] === 'error')).toMatchObject({
        code: 'UNKNOWN_CHANNEL',
        channel: 'no_such_channel',
      })
      const id = await broadcast({ message: 'hi' })
      expect(await next(isEvent)).toEqual({ channel: 'messenger', id, event: 'hi' })
    } finally {
      socket.close()
    }
  }, 90_000)

  it('sends to one connection by its id, and refuses a bad token at the handshake', async () => {
    await expect(client({ Authorization: 'Bearer not-a-token' })).rejects.toThrow(/401/)
    const first = await client()
    const second = await client()
    try {
      first.socket.send(JSON.stringify({ type: 'subscribe', channel: 'messenger' }))
      second.socket.send(JSON.stringify({ type: 'subscribe', channel: 'messenger' }))
      const { connection } = await first.next((frame) => frame['type'] === 'subscribed')
      await second.next((frame) => frame['type'] === 'subscribed')
      const direct = await broadcast({ message: 'just you', connection_id: connection })
      expect(await first.next(isEvent)).toEqual({
        channel: 'messenger',
        id: direct,
        event: 'just you',
      })
      // Then one for everyone: the second client gets it, and never got the first.
      const all = await broadcast({ message: 'everyone' })
      expect(await second.next(isEvent)).toEqual({
        channel: 'messenger',
        id: all,
        event: 'everyone',
      })
      expect(second.frames.filter(isEvent).map((frame) => frame['event'])).toEqual(['everyone'])
    } finally {
      first.socket.close()
      second.socket.close()
    }
  }, 90_000)

  it('deletes a subscriber that the management API answers 410 Gone, on publish', async () => {
    // A connection the table still holds but API Gateway (here serverless-offline) no longer
    // knows: its client went away without a $disconnect reaching the function.
    const key = { connection_id: { S: 'stale-connection' }, channel: { S: 'messenger' } }
    const endpoint = wsUrl.replace('ws:', 'http:')
    const expires = String(Math.floor(Date.now() / 1000) + 3600)
    for (const channel of ['#connection', 'messenger']) {
      await dynamo!.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            ...key,
            channel: { S: channel },
            endpoint: { S: endpoint },
            authorization: { NULL: true },
            expires_at: { N: expires },
          },
        }),
      )
    }
    const { socket, next } = await client()
    try {
      socket.send(JSON.stringify({ type: 'subscribe', channel: 'messenger' }))
      await next((frame) => frame['type'] === 'subscribed')
      const id = await broadcast({ message: 'anyone there?' })
      // The live client got it; the stale one answered 410 and is gone, with all its rows.
      expect(await next(isEvent)).toEqual({ channel: 'messenger', id, event: 'anyone there?' })
      for (const channel of ['#connection', 'messenger']) {
        const { Item } = await dynamo!.send(
          new GetItemCommand({ TableName: tableName, Key: { ...key, channel: { S: channel } } }),
        )
        expect(Item).toBeUndefined()
      }
    } finally {
      socket.close()
    }
  }, 90_000)
})
