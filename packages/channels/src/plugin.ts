import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import {
  ActionError,
  BEARER_PROTOCOL,
  offeredProtocols,
  toProblem,
  upgradeAuthorization,
  type Authorization,
  type ChannelHub,
} from '@servey/core'
import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import { WebSocketServer } from 'ws'
import type { AsyncApiOptions } from './asyncapi/asyncapi-document.ts'
import { createServedAsyncApi } from './asyncapi/served-document.ts'
import { registerAsyncApiPage } from './asyncapi/page/register-page.ts'
import { DEFAULT_LIMITS, type ChannelLimits } from './limits.ts'
import { registerSseRoute } from './sse/sse-route.ts'
import { ChannelConnection } from './websocket/connection.ts'

export interface ServeyChannelsOptions {
  readonly hub: ChannelHub
  /** Verifies `Authorization` header values: pass the invoker (`invoker.authenticate`). */
  readonly authenticator: {
    authenticate(header: string | undefined): Promise<Authorization | null>
  }
  readonly limits?: Partial<ChannelLimits>
  /**
   * `GET /asyncapi.json`: the AsyncAPI 3.0 document of the hub's channels (its `info`, and a
   * fixed `server` or else the request's origin). `false` serves no document. Default on.
   */
  readonly asyncapi?: AsyncApiOptions | false
}

/** The websocket close code a server going down sends (RFC 6455 §7.4.1 "going away"). */
export const GOING_AWAY = 1001

const PATH = /^\/channels(?:\/([^/?#]+))?\/?$/

function refuseUpgrade(socket: Duplex, error: ActionError): void {
  const body = JSON.stringify(toProblem(error))
  socket.end(
    `HTTP/1.1 ${error.status} ${error.title}\r\nConnection: close\r\n` +
      `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  )
}

/**
 * Event channels on a Fastify server: `WS /channels/<name>`, `WS /channels` (multiplexed), and
 * `GET /channels/<name>` as Server-Sent Events, all on the server's own port. Subscriptions go
 * through core's channel hub, so access, filters and resume are the same on every transport.
 */
const plugin: FastifyPluginAsync<ServeyChannelsOptions> = async (app, options) => {
  const limits: ChannelLimits = { ...DEFAULT_LIMITS, ...options.limits }
  const { hub } = options
  const authenticate = (header: string | undefined) => options.authenticator.authenticate(header)
  const connections = new Set<ChannelConnection>()
  const streams = new Set<() => void>()
  let closing = false
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxFrameBytes,
    perMessageDeflate: false,
    // Each connection answers pings itself, so that a flood is refused with a close code.
    autoPong: false,
    handleProtocols: (protocols) => (protocols.has(BEARER_PROTOCOL) ? BEARER_PROTOCOL : false),
  })

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    const match = PATH.exec(url.pathname)
    if (match === null) {
      // Another upgrade listener may serve this path; alone, refuse it.
      if (app.server.listenerCount('upgrade') === 1) {
        refuseUpgrade(
          socket,
          new ActionError('NOT_FOUND', `No websocket at ${url.pathname.slice(0, 100)}`),
        )
      }
      return
    }
    if (closing) {
      refuseUpgrade(socket, new ActionError('UNAVAILABLE', 'The server is shutting down'))
      return
    }
    if (connections.size + streams.size >= limits.maxConnections) {
      refuseUpgrade(socket, new ActionError('UNAVAILABLE', 'Too many channel connections'))
      return
    }
    let channel: string | undefined
    try {
      channel = match[1] === undefined ? undefined : decodeURIComponent(match[1])
    } catch {
      refuseUpgrade(
        socket,
        new ActionError('BAD_REQUEST', 'The channel name is not valid percent-encoding'),
      )
      return
    }
    const protocols = offeredProtocols(request.headers['sec-websocket-protocol'])
    const authorizationHeader = upgradeAuthorization(request.headers.authorization, protocols)
    const since = url.searchParams.get('since') ?? undefined
    wss.handleUpgrade(request, socket, head, (socket) => {
      const connection = new ChannelConnection(
        socket,
        { hub, authenticate, limits, log: app.log },
        { authorizationHeader, channel, since },
      )
      connections.add(connection)
      socket.on('close', () => connections.delete(connection))
      void connection.start()
    })
  }
  app.server.on('upgrade', onUpgrade)

  const heartbeat = setInterval(() => {
    for (const connection of connections) connection.ping()
  }, limits.heartbeatMs)
  heartbeat.unref()

  if (options.asyncapi !== false) {
    const served = createServedAsyncApi(hub.registry, options.asyncapi ?? {})
    app.get('/asyncapi.json', (request, reply) => {
      // request.host honours X-Forwarded-Host only when trustProxy is on.
      reply
        .type('application/json; charset=utf-8')
        .send(served({ protocol: request.protocol, host: request.host }))
    })
    registerAsyncApiPage(app)
  }

  registerSseRoute(app, { hub, authenticate, limits, streams, isClosing: () => closing })

  app.addHook('preClose', async () => {
    closing = true
    clearInterval(heartbeat)
    for (const connection of connections) connection.close(GOING_AWAY, 'server shutting down')
    for (const end of [...streams]) end()
    // Give the close frames a moment to leave; `close` cuts off peers that never answer.
    const deadline = Date.now() + 1_000
    while (connections.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  })
  app.addHook('onClose', async () => {
    app.server.off('upgrade', onUpgrade)
    for (const client of wss.clients) client.terminate()
    await new Promise<void>((resolve) => wss.close(() => resolve()))
  })
}

export const serveyChannels = fp(plugin, { name: '@servey/channels', fastify: '5.x' })
