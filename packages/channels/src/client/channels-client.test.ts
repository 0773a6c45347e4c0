import WebSocket from 'ws'
import { afterEach, describe, expect, it } from 'vitest'
import { startServer, testApp, tokenFor, type TestServer } from '../test-support/channels-server.ts'
import {
  createChannelsClient,
  type ChannelsClient,
  type ChannelsClientError,
  type WebSocketConstructor,
} from './channels-client.ts'

const { messenger } = testApp()

/** ws's WebSocket, remembering every socket, so a test can cut one as a network would. */
function recordingSockets(): { Socket: WebSocketConstructor; sockets: WebSocket[] } {
  const sockets: WebSocket[] = []
  class Recording extends WebSocket {
    constructor(url: string) {
      super(url)
      sockets.push(this)
    }
  }
  return { Socket: Recording as unknown as WebSocketConstructor, sockets }
}

async function until<T>(check: () => T | undefined, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('createChannelsClient', () => {
  let server: TestServer | undefined
  let client: ChannelsClient | undefined
  afterEach(async () => {
    client?.close()
    await server?.close()
    client = undefined
    server = undefined
  })

  const broadcast = (message: string) =>
    server!.invoker.invoke({ action: 'broadcast_message', input: { message } })

  it('receives typed events with their ids, and stops on unsubscribe', async () => {
    server = await startServer()
    const { Socket } = recordingSockets()
    client = createChannelsClient({ url: `${server.url}/channels`, WebSocket: Socket })
    const received: Array<{ event: string; id: string }> = []
    let subscribed = 0
    const subscription = client.subscribe(
      messenger,
      // `event` is a string: the type comes from the channel's payload schema.
      (event, meta) => received.push({ event: event.toUpperCase(), id: meta.id }),
      { onSubscribed: () => (subscribed += 1) },
    )
    await until(() => (subscribed === 1 ? true : undefined))
    expect(client.state).toBe('open')
    await broadcast('hi')
    await until(() => received[0])
    expect(received[0]?.event).toBe('HI')
    expect(subscription.lastId).toBe(received[0]?.id)

    subscription.unsubscribe()
    await new Promise((resolve) => setTimeout(resolve, 100))
    await broadcast('unheard')
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(received).toHaveLength(1)
  })

  it('reconnects after the connection drops and resumes from the last id, missing nothing', async () => {
    server = await startServer()
    const { Socket, sockets } = recordingSockets()
    const states: string[] = []
    client = createChannelsClient({
      url: `${server.url}/channels`,
      WebSocket: Socket,
      initialDelayMs: 50,
      onStateChange: (state) => states.push(state),
    })
    const received: string[] = []
    let subscribed = 0
    client.subscribe(messenger, (event) => received.push(event), {
      onSubscribed: () => (subscribed += 1),
    })
    await until(() => (subscribed === 1 ? true : undefined))
    await broadcast('one')
    await until(() => (received.length === 1 ? true : undefined))

    sockets[0]!.terminate()
    await until(() => (states.includes('reconnecting') ? true : undefined))
    // Published while this client is away: kept by the server, replayed after `since`.
    await broadcast('two')
    await broadcast('three')
    await until(() => (subscribed === 2 ? true : undefined))
    await broadcast('four')
    await until(() => (received.length === 4 ? true : undefined))
    expect(received).toEqual(['one', 'two', 'three', 'four'])
    expect(sockets).toHaveLength(2)
    expect(states).toEqual(['open', 'reconnecting', 'open'])
  })

  it('reports a resume gap when the history no longer reaches back', async () => {
    server = await startServer({ history: { maxLength: 2 } })
    const { Socket, sockets } = recordingSockets()
    client = createChannelsClient({
      url: `${server.url}/channels`,
      WebSocket: Socket,
      initialDelayMs: 50,
    })
    const received: string[] = []
    const gaps: string[] = []
    let subscribed = 0
    client.subscribe(messenger, (event) => received.push(event), {
      onSubscribed: () => (subscribed += 1),
      onGap: (since) => gaps.push(since),
    })
    await until(() => (subscribed === 1 ? true : undefined))
    await broadcast('seen')
    await until(() => (received.length === 1 ? true : undefined))
    sockets[0]!.terminate()
    for (const message of ['lost-1', 'lost-2', 'kept-1', 'kept-2']) await broadcast(message)
    await until(() => (received.length === 3 ? true : undefined))
    expect(gaps).toHaveLength(1)
    expect(received).toEqual(['seen', 'kept-1', 'kept-2'])
  })

  it('authenticates each connection with a fresh token, and ends a refused subscription', async () => {
    server = await startServer()
    const { Socket, sockets } = recordingSockets()
    let tokens = 0
    client = createChannelsClient({
      url: `${server.url}/channels`,
      WebSocket: Socket,
      initialDelayMs: 50,
      token: async () => {
        tokens += 1
        return tokenFor('ada', ['user'])
      },
    })
    const refusals: ChannelsClientError[] = []
    client.subscribe('admin_feed', () => undefined, { onError: (error) => refusals.push(error) })
    let subscribed = 0
    client.subscribe(messenger, () => undefined, { onSubscribed: () => (subscribed += 1) })
    await until(() => (refusals.length === 1 && subscribed === 1 ? true : undefined))
    expect(refusals[0]).toMatchObject({ code: 'FORBIDDEN', channel: 'admin_feed' })

    sockets[0]!.terminate()
    await until(() => (subscribed === 2 ? true : undefined))
    expect(tokens).toBe(2)
    // Refused once, not asked again on the new connection.
    expect(refusals).toHaveLength(1)
  })

  it('stops reconnecting once closed', async () => {
    server = await startServer()
    const { Socket, sockets } = recordingSockets()
    client = createChannelsClient({
      url: `${server.url}/channels`,
      WebSocket: Socket,
      initialDelayMs: 20,
    })
    await until(() => (client?.state === 'open' ? true : undefined))
    client.close()
    expect(client.state).toBe('closed')
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(sockets).toHaveLength(1)
  })

  it('explains what to pass when there is no global WebSocket', () => {
    const global = globalThis as { WebSocket?: unknown }
    const saved = global.WebSocket
    delete global.WebSocket
    try {
      expect(() => createChannelsClient({ url: 'ws://127.0.0.1:1/channels' })).toThrow(/pass one/)
    } finally {
      if (saved !== undefined) global.WebSocket = saved
    }
  })
})
