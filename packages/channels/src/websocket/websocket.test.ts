import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import {
  connect,
  startServer,
  testApp,
  tokenFor,
  until,
  type TestServer,
} from '../test-support/channels-server.ts'

let servers: TestServer[] = []
const start = async (options?: Parameters<typeof startServer>[0]) => {
  const server = await startServer(options)
  servers.push(server)
  return server
}
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()))
  servers = []
})

describe('WS /channels/<name>', () => {
  it('delivers {channel, id, event} envelopes after an action publishes', async () => {
    const server = await start()
    const client = await connect(`${server.url}/channels/messenger`)
    expect(await client.next()).toMatchObject({ type: 'subscribed', channel: 'messenger' })
    const outcome = await server.invoker.invoke({
      action: 'broadcast_message',
      input: { message: 'hi' },
    })
    expect(outcome.ok).toBe(true)
    expect(await client.next()).toEqual({
      channel: 'messenger',
      id: (outcome as { result: string }).result,
      event: 'hi',
    })
    client.socket.close()
  })

  it('refuses a subscriber without access, with an error frame and close code 1008', async () => {
    const server = await start()
    const bob = await connect(`${server.url}/channels/admin-feed`, {
      headers: { authorization: `Bearer ${await tokenFor('bob')}` },
    })
    expect(await bob.next()).toMatchObject({ type: 'error', code: 'FORBIDDEN' })
    expect(await bob.closed).toEqual({ code: 1008, reason: 'FORBIDDEN' })

    const forged = await connect(`${server.url}/channels/admin-feed`, {
      headers: { authorization: 'Bearer not.a.token' },
    })
    expect(await forged.next()).toMatchObject({ type: 'error', code: 'UNAUTHENTICATED' })
    expect((await forged.closed).code).toBe(1008)

    // No credentials: the socket waits for an auth frame, and refuses anything else.
    const anonymous = await connect(`${server.url}/channels/admin-feed`)
    anonymous.send({ type: 'auth', token: await tokenFor('eve', ['reader']) })
    expect(await anonymous.next()).toMatchObject({ type: 'authenticated', subject: 'eve' })
    expect(await anonymous.next()).toMatchObject({ type: 'error', code: 'FORBIDDEN' })
    expect((await anonymous.closed).code).toBe(1008)
  })

  it('accepts a token by header, by the bearer subprotocol and by a first auth frame', async () => {
    const server = await start()
    const token = await tokenFor('root', ['admin'])
    const byHeader = await connect(`${server.url}/channels/admin-feed`, {
      headers: { authorization: `Bearer ${token}` },
    })
    const byProtocol = await connect(`${server.url}/channels/admin-feed`, {
      protocols: ['bearer', token],
    })
    expect(byProtocol.socket.protocol).toBe('bearer')
    const byFrame = await connect(`${server.url}/channels/admin-feed`)
    byFrame.send({ type: 'auth', token })
    expect(await byFrame.next()).toMatchObject({ type: 'authenticated', subject: 'root' })
    for (const client of [byHeader, byProtocol, byFrame]) {
      expect(await client.next()).toMatchObject({ type: 'subscribed', channel: 'admin_feed' })
    }
    const sent = await server.hub.publish('admin_feed', 'restart at noon')
    for (const client of [byHeader, byProtocol, byFrame]) {
      expect(await client.next()).toEqual({
        channel: 'admin_feed',
        id: sent.id,
        event: 'restart at noon',
      })
      client.socket.close()
    }
  })

  it('lets the filter hide an event from one connection but not another', async () => {
    const server = await start()
    const alice = await connect(`${server.url}/channels/inbox`, {
      headers: { authorization: `Bearer ${await tokenFor('alice')}` },
    })
    const bob = await connect(`${server.url}/channels/inbox`, {
      headers: { authorization: `Bearer ${await tokenFor('bob')}` },
    })
    await alice.next()
    await bob.next()
    await server.hub.publish('inbox', { to: 'alice', text: 'secret' })
    await server.hub.publish('inbox', { to: '*', text: 'everyone' })
    expect((await alice.next())['event']).toEqual({ to: 'alice', text: 'secret' })
    expect((await alice.next())['event']).toEqual({ to: '*', text: 'everyone' })
    expect((await bob.next())['event']).toEqual({ to: '*', text: 'everyone' })
    expect(bob.received).toEqual([])
    alice.socket.close()
    bob.socket.close()
  })

  it('closes a slow client that never reads (1013) while the others keep receiving', async () => {
    const server = await start({ limits: { maxBufferedBytes: 256 * 1024 } })
    const fast = await connect(`${server.url}/channels/bulk`)
    const slow = await connect(`${server.url}/channels/bulk`)
    await fast.next()
    await slow.next()
    slow.socket.pause()
    const chunk = 'x'.repeat(64 * 1024)
    let got = 0
    fast.socket.on('message', () => got++)
    const count = 400 // 25 MiB: more than any socket buffer on the way
    for (let index = 0; index < count; index++) {
      await server.hub.publish('bulk', chunk)
      if (index % 20 === 0) await new Promise((resolve) => setImmediate(resolve))
    }
    await until(() => got === count, 10_000)
    slow.socket.resume()
    const closed = await slow.closed
    expect([1013, 1006]).toContain(closed.code)
    fast.socket.close()
  }, 20_000)

  it('resumes with ?since: a reconnecting client misses nothing, in order, then goes live', async () => {
    const server = await start()
    const first = await connect(`${server.url}/channels/messenger`)
    await first.next()
    await server.hub.publish('messenger', 'one')
    const seen = (await first.next())['id'] as string
    first.socket.close()
    await first.closed
    await server.hub.publish('messenger', 'two')
    await server.hub.publish('messenger', 'three')
    const again = await connect(`${server.url}/channels/messenger?since=${seen}`)
    await server.hub.publish('messenger', 'four')
    const frames = [await again.next(), await again.next(), await again.next(), await again.next()]
    expect(frames.map((frame) => frame['event'] ?? frame['type'])).toEqual([
      'two',
      'three',
      'subscribed',
      'four',
    ])
    again.socket.close()
  })

  it('sends a resume_gap frame when the history no longer reaches back', async () => {
    const server = await start({ history: { maxLength: 2 } })
    const ids: string[] = []
    for (const text of ['a', 'b', 'c', 'd'])
      ids.push((await server.hub.publish('messenger', text)).id)
    const client = await connect(`${server.url}/channels/messenger?since=${ids[0]}`)
    expect(await client.next()).toEqual({ type: 'resume_gap', channel: 'messenger', since: ids[0] })
    expect((await client.next())['event']).toBe('c')
    expect((await client.next())['event']).toBe('d')
    client.socket.close()
  })

  it('closes with 1001 when the server shuts down', async () => {
    const server = await startServer()
    const client = await connect(`${server.url}/channels/messenger`)
    await client.next()
    await server.close()
    expect((await client.closed).code).toBe(1001)
  })

  it('refuses upgrades past the connection limit with 503, and unknown paths with 404', async () => {
    const server = await start({ limits: { maxConnections: 1 } })
    const first = await connect(`${server.url}/channels/messenger`)
    const status = (path: string) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(`${server.url}${path}`)
        socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0))
        socket.on('open', () => resolve(101))
      })
    expect(await status('/channels/messenger')).toBe(503)
    first.socket.close()
    await first.closed
    await until(() => true)
    expect(await status('/elsewhere')).toBe(404)
  })
})

describe('WS /channels (multiplexed)', () => {
  it('subscribes and unsubscribes several channels over one socket', async () => {
    const server = await start()
    const client = await connect(`${server.url}/channels`)
    client.send({ type: 'subscribe', channel: 'messenger' })
    client.send({ type: 'subscribe', channel: 'inbox' })
    expect(await client.next()).toMatchObject({ type: 'subscribed', channel: 'messenger' })
    expect(await client.next()).toMatchObject({ type: 'subscribed', channel: 'inbox' })
    await server.hub.publish('messenger', 'hello')
    await server.hub.publish('inbox', { to: '*', text: 'all' })
    expect(await client.next()).toMatchObject({ channel: 'messenger', event: 'hello' })
    expect(await client.next()).toMatchObject({ channel: 'inbox', event: { to: '*', text: 'all' } })
    client.send({ type: 'unsubscribe', channel: 'messenger' })
    expect(await client.next()).toEqual({ type: 'unsubscribed', channel: 'messenger' })
    await server.hub.publish('messenger', 'gone')
    await server.hub.publish('inbox', { to: '*', text: 'still here' })
    expect(await client.next()).toMatchObject({ channel: 'inbox' })
    expect(client.received).toEqual([])
    client.socket.close()
  })

  it('resumes a subscription with since in the subscribe frame', async () => {
    const server = await start()
    const first = await server.hub.publish('messenger', 'old')
    await server.hub.publish('messenger', 'missed')
    const client = await connect(`${server.url}/channels`)
    client.send({ type: 'subscribe', channel: 'messenger', since: first.id })
    expect(await client.next()).toMatchObject({ event: 'missed' })
    expect(await client.next()).toMatchObject({ type: 'subscribed', channel: 'messenger' })
    client.socket.close()
  })

  it('answers bad frames of every kind with an error frame or a close code, and keeps serving', async () => {
    const server = await start()
    const client = await connect(`${server.url}/channels`)
    const cases: Array<[unknown, string]> = [
      ['{not json', 'MALFORMED_JSON'],
      ['[1,2]', 'BAD_REQUEST'],
      [{ type: 'shout' }, 'BAD_REQUEST'],
      [{ type: 'subscribe' }, 'BAD_REQUEST'],
      [{ type: 'subscribe', channel: 'nope' }, 'UNKNOWN_CHANNEL'],
      [{ type: 'subscribe', channel: 'messenger', since: 'last tuesday' }, 'BAD_REQUEST'],
      [{ type: 'subscribe', channel: 'admin_feed' }, 'UNAUTHENTICATED'],
      [{ type: 'auth' }, 'BAD_REQUEST'],
    ]
    for (const [frame, code] of cases) {
      client.send(frame)
      expect(await client.next(), JSON.stringify(frame)).toMatchObject({ type: 'error', code })
    }
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true })
    expect(await client.next()).toMatchObject({ type: 'error', code: 'UNSUPPORTED_MEDIA_TYPE' })
    // Still serving after all that.
    client.send({ type: 'subscribe', channel: 'messenger' })
    expect(await client.next()).toMatchObject({ type: 'subscribed', channel: 'messenger' })
    // An oversized frame ends the connection with 1009 (message too big).
    client.send({ type: 'subscribe', channel: 'x'.repeat(70 * 1024) })
    expect((await client.closed).code).toBe(1009)
    // ...and the server is fine.
    const other = await connect(`${server.url}/channels/messenger`)
    expect(await other.next()).toMatchObject({ type: 'subscribed', channel: 'messenger' })
    other.socket.close()
  })

  it('answers every ping, and a ping flood with TOO_MANY_REQUESTS and close 1013, not a cut', async () => {
    // Found by the fuzz harness: ws's own flood guard dropped the TCP connection (1006, no
    // close frame, no reason) once 60 pongs were pending.
    const server = await start()
    const calm = await connect(`${server.url}/channels`)
    let pongs = 0
    calm.socket.on('pong', () => pongs++)
    for (let i = 0; i < 30; i++) calm.socket.ping()
    await until(() => pongs === 30)
    calm.send({ type: 'subscribe', channel: 'messenger' })
    expect(await calm.next()).toMatchObject({ type: 'subscribed' })

    const flood = await connect(`${server.url}/channels`)
    for (let i = 0; i < 1_000; i++) flood.socket.ping()
    expect(await flood.next()).toMatchObject({ type: 'error', code: 'TOO_MANY_REQUESTS' })
    expect(await flood.closed).toEqual({ code: 1013, reason: 'TOO_MANY_REQUESTS' })
    calm.socket.close()
  })

  it('closes a single-channel socket for an unknown channel with 1008', async () => {
    const server = await start()
    const client = await connect(`${server.url}/channels/nope`)
    expect(await client.next()).toMatchObject({ type: 'error', code: 'UNKNOWN_CHANNEL' })
    expect((await client.closed).code).toBe(1008)
  })

  it('takes frames sent before the upgrade token is verified as that caller (found by pnpm fuzz)', async () => {
    // A client may subscribe the moment the socket opens; the header's token was still being
    // verified, and the frame was refused UNAUTHENTICATED as if anonymous.
    const server = await start({ authenticateDelayMs: 100 })
    const token = await tokenFor('ann', ['admin'])
    const client = await connect(`${server.url}/channels`, {
      headers: { authorization: `Bearer ${token}` },
    })
    client.send({ type: 'subscribe', channel: 'admin_feed' })
    client.send({ type: 'subscribe', channel: 'messenger' })
    expect(await client.next()).toMatchObject({ type: 'subscribed', channel: 'admin_feed' })
    expect(await client.next()).toMatchObject({ type: 'subscribed', channel: 'messenger' })
    const sent = await server.hub.publish('admin_feed', 'for admins')
    expect(await client.next()).toEqual({ channel: 'admin_feed', id: sent.id, event: 'for admins' })
    // A refused header token still closes the socket, and the early frame gets no answer.
    const refused = await connect(`${server.url}/channels`, {
      headers: { authorization: 'Bearer forged' },
    })
    refused.send({ type: 'subscribe', channel: 'messenger' })
    expect(await refused.next()).toMatchObject({ type: 'error', code: 'UNAUTHENTICATED' })
    expect((await refused.closed).code).toBe(1008)
    expect(refused.received).toEqual([])
  })

  it('publishes through channel.publish once a hub binds the app', async () => {
    const app = testApp()
    const server = await start({ source: app, bind: true })
    const client = await connect(`${server.url}/channels/messenger`)
    await client.next()
    await app.messenger.publish('bound')
    expect(await client.next()).toMatchObject({ event: 'bound' })
    await expect(app.messenger.publish(42 as never)).rejects.toMatchObject({
      code: 'INVALID_EVENT',
    })
    client.socket.close()
  })
})
