import { serveyChannels } from '@servey/channels'
import { createChannelHub, createInvoker, createRegistry } from '@servey/core'
import { createServer } from '@servey/rest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as actions from './actions/index.ts'

type Frame = Record<string, unknown>

/** A real ws client that queues what it receives, so a test can take frames in order. */
async function subscribe(url: string) {
  const socket = new WebSocket(url)
  const frames: Frame[] = []
  const waiting: Array<(frame: Frame) => void> = []
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Frame
    const waiter = waiting.shift()
    if (waiter === undefined) frames.push(frame)
    else waiter(frame)
  })
  await new Promise((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('error', reject)
  })
  const next = (ms = 3_000): Promise<Frame> => {
    const queued = frames.shift()
    if (queued !== undefined) return Promise.resolve(queued)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no frame within ${ms} ms`)), ms)
      waiting.push((frame) => {
        clearTimeout(timer)
        resolve(frame)
      })
    })
  }
  return { socket, next }
}

let app: Awaited<ReturnType<typeof createServer>>
let hub: ReturnType<typeof createChannelHub>
let base: string
beforeAll(async () => {
  const registry = createRegistry(actions)
  hub = createChannelHub(registry)
  const invoker = createInvoker(registry, { channels: hub })
  app = await createServer({
    invoker,
    extend: (server) => server.register(serveyChannels, { hub, authenticator: invoker }),
  })
  base = await app.listen({ port: 0, host: '127.0.0.1' })
})
afterAll(async () => {
  await app.close()
  await hub.close()
})

const broadcast = async (params: Record<string, unknown>): Promise<string> => {
  const response = await fetch(`${base}/actions/broadcast-message`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  })
  expect(response.status).toBe(200)
  return (await response.json()) as string
}

describe('messenger', () => {
  it('delivers {channel, id, event} to a ws subscriber after POST /actions/broadcast-message', async () => {
    const client = await subscribe(`${base.replace('http', 'ws')}/channels/messenger`)
    expect(await client.next()).toMatchObject({ type: 'subscribed', channel: 'messenger' })
    const id = await broadcast({ message: 'hi' })
    expect(await client.next()).toEqual({ channel: 'messenger', id, event: 'hi' })
    client.socket.close()
  })

  it('sends to one connection with connection_id, and to everyone without it', async () => {
    const ws = base.replace('http', 'ws')
    const ada = await subscribe(`${ws}/channels/messenger`)
    const bob = await subscribe(`${ws}/channels`)
    const adaSubscribed = await ada.next()
    bob.socket.send(JSON.stringify({ type: 'subscribe', channel: 'messenger' }))
    expect(await bob.next()).toMatchObject({ type: 'subscribed', channel: 'messenger' })

    const whisper = await broadcast({
      message: 'just for you',
      connection_id: adaSubscribed['connection'],
    })
    const shout = await broadcast({ message: 'everyone' })
    expect(await ada.next()).toEqual({ channel: 'messenger', id: whisper, event: 'just for you' })
    expect(await ada.next()).toEqual({ channel: 'messenger', id: shout, event: 'everyone' })
    // Bob's first event is the broadcast: the whisper never reached him.
    expect(await bob.next()).toEqual({ channel: 'messenger', id: shout, event: 'everyone' })
    ada.socket.close()
    bob.socket.close()
  })

  it('answers a message that is not a string with 400, and subscribers see nothing of it', async () => {
    const client = await subscribe(`${base.replace('http', 'ws')}/channels/messenger`)
    await client.next()
    const response = await fetch(`${base}/actions/broadcast-message`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 42 }),
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ code: 'INVALID_PARAMS' })
    const id = await broadcast({ message: 'after' })
    expect(await client.next()).toEqual({ channel: 'messenger', id, event: 'after' })
    client.socket.close()
  })
})
