import {
  Type,
  action,
  anyScope,
  channel,
  createChannelHub,
  createInvoker,
  createJwtAuthenticator,
  createJwtIssuer,
  createRegistry,
  type ChannelBackend,
  type ChannelHub,
  type HistoryLimits,
  type Invoker,
} from '@servey/core'
import Fastify, { type FastifyInstance } from 'fastify'
import WebSocket from 'ws'
import type { ChannelLimits } from '../limits.ts'
import { serveyChannels } from '../plugin.ts'

export const SECRET = 'a-test-secret-that-is-long-enough-for-hs256'
const issuer = createJwtIssuer({ secret: SECRET })

export async function tokenFor(subject: string, scopes: string[] = []): Promise<string> {
  return (await issuer.issue({ subject, scopes })).token
}

/** The test app: an open channel, a scoped one, a filtered inbox and a chunky one. */
export function testApp() {
  const messenger = channel('messenger', { payload: Type.String(), description: 'Chat' })
  const admin_feed = channel('admin_feed', { payload: Type.String(), access: anyScope('admin') })
  const inbox = channel('inbox', {
    payload: Type.Object({ to: Type.String(), text: Type.String() }),
    filter: (event, subscriber) => event.to === '*' || event.to === subscriber?.subject,
  })
  const bulk = channel('bulk', { payload: Type.String() })
  const broadcast_message = action(
    { params: Type.Object({ message: Type.String() }) },
    async ({ message }, context) => (await context.publish(messenger, message)).id,
  )
  return { messenger, admin_feed, inbox, bulk, broadcast_message }
}

export interface TestServer {
  readonly app: FastifyInstance
  readonly hub: ChannelHub
  readonly invoker: Invoker
  readonly url: string
  close(): Promise<void>
}

export async function startServer(
  options: {
    limits?: Partial<ChannelLimits>
    history?: Partial<HistoryLimits>
    backend?: ChannelBackend
    bind?: boolean
    source?: unknown
    /** Verify each token this much later: a client's frames then arrive first. */
    authenticateDelayMs?: number
  } = {},
): Promise<TestServer> {
  const registry = createRegistry(options.source ?? testApp())
  const hub = createChannelHub(registry, {
    ...(options.backend === undefined ? {} : { backend: options.backend }),
    ...(options.history === undefined ? {} : { history: options.history }),
    bind: options.bind ?? false,
  })
  const invoker = createInvoker(registry, {
    channels: hub,
    authenticator: await createJwtAuthenticator({ secret: SECRET }),
  })
  const app = Fastify({ logger: false })
  const delay = options.authenticateDelayMs
  await app.register(serveyChannels, {
    hub,
    authenticator:
      delay === undefined
        ? invoker
        : {
            authenticate: async (header: string | undefined) => {
              await new Promise((resolve) => setTimeout(resolve, delay))
              return invoker.authenticate(header)
            },
          },
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    app,
    hub,
    invoker,
    url: `ws://127.0.0.1:${port}`,
    async close() {
      await app.close()
      await hub.close()
    },
  }
}

export interface TestClient {
  readonly socket: WebSocket
  /** The next frame, parsed (waits up to `ms`). */
  next(ms?: number): Promise<Record<string, unknown>>
  /** Every frame received so far and not yet taken by next(). */
  readonly received: Record<string, unknown>[]
  readonly closed: Promise<{ code: number; reason: string }>
  send(frame: unknown): void
}

export function connect(
  url: string,
  options: { protocols?: string[]; headers?: Record<string, string> } = {},
): Promise<TestClient> {
  const socket = new WebSocket(url, options.protocols ?? [], {
    ...(options.headers === undefined ? {} : { headers: options.headers }),
  })
  const received: Record<string, unknown>[] = []
  const waiting: Array<(frame: Record<string, unknown>) => void> = []
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Record<string, unknown>
    const waiter = waiting.shift()
    if (waiter === undefined) received.push(frame)
    else waiter(frame)
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  )
  const client: TestClient = {
    socket,
    received,
    closed,
    send: (frame) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    next(ms = 3_000) {
      const frame = received.shift()
      if (frame !== undefined) return Promise.resolve(frame)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(onFrame), 1)
          reject(new Error(`no frame within ${ms} ms`))
        }, ms)
        const onFrame = (value: Record<string, unknown>): void => {
          clearTimeout(timer)
          resolve(value)
        }
        waiting.push(onFrame)
      })
    },
  }
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client))
    socket.once('error', reject)
  })
}

/** Resolves when the condition holds (polling), or fails after `ms`. */
export async function until(condition: () => boolean, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
