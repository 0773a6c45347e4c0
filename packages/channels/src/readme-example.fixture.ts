// app.ts — run with: node --import tsx app.ts
import {
  action,
  channel,
  createChannelHub,
  createInvoker,
  createRegistry,
  Type,
  WEB_POST,
} from '@servey/core'
import { serveyChannels } from '@servey/channels'
import Fastify from 'fastify'
import WebSocket from 'ws'

export const messenger = channel('messenger', {
  payload: Type.String(),
  description: 'Chat messages, to every subscriber',
  examples: [{ name: 'greeting', event: 'hi' }],
})

export const broadcast_message = action(
  { triggers: [WEB_POST], params: Type.Object({ message: Type.String() }), result: Type.String() },
  async ({ message }, context) => (await context.publish(messenger, message)).id,
)

const registry = createRegistry({ messenger, broadcast_message })
const hub = createChannelHub(registry) // in process; Redis Streams with @servey/channels' backend
const invoker = createInvoker(registry, { channels: hub })
const app = Fastify()
await app.register(serveyChannels, { hub, authenticator: invoker })
await app.listen({ port: 0, host: '127.0.0.1' })
const { port } = app.server.address() as { port: number }

const client = new WebSocket(`ws://127.0.0.1:${port}/channels/messenger`)
const frames: unknown[] = []
client.on('message', (data) => frames.push(JSON.parse(String(data))))
await new Promise((resolve) => client.once('open', resolve))
await new Promise((resolve) => setTimeout(resolve, 50))

await invoker.invoke({ action: 'broadcast_message', input: { message: 'hi' } })
await new Promise((resolve) => setTimeout(resolve, 50))
console.log(frames) // [{ type: 'subscribed', channel: 'messenger', connection: '…' }, { channel: 'messenger', id: '…', event: 'hi' }]

client.close()
await app.close()
await hub.close()
