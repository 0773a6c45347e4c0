import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'

/**
 * How long a connection that is idle when shutdown begins stays open. A request may already
 * be on its way on it (written by a client that has not yet seen anything close): it is
 * answered, with `Connection: close`, instead of being reset.
 */
export const IDLE_LINGER_MS = 2_000

export interface DrainOptions {
  /**
   * The hard limit: connections still open this long after shutdown began are destroyed, so
   * a client that holds one can never keep the process alive.
   */
  readonly graceMs: number
  /** Default {@link IDLE_LINGER_MS}, never more than `graceMs`. */
  readonly idleLingerMs?: number
}

export interface DrainReport {
  /** Connections destroyed at the grace deadline (0 when everything closed in time). */
  readonly forced: number
}

export interface ConnectionDrain {
  /** Whether shutdown has begun. */
  readonly closing: boolean
  /** Connections open now. */
  readonly size: number
  /**
   * Stop listening (new connections are refused), answer whatever arrives on open
   * connections with `Connection: close` and close each connection after its response; close
   * connections that stay idle for the linger; destroy what is left at the grace deadline.
   * Resolves once every connection is closed. Calling it again returns the same promise.
   */
  close(options: DrainOptions): Promise<DrainReport>
}

interface Connection {
  /**
   * The last response started on this connection. Responses on one connection finish in
   * order, so the connection is idle when this one has finished. A reference, not a listener
   * per response: this runs on every request. It keeps the last request and response objects of
   * an idle keep-alive connection alive until its next request or its close (a few KB each, not
   * the body: Fastify keeps that on its own request object).
   */
  response: ServerResponse | undefined
  /** A websocket now: its own layer closes it (with 1001); only the deadline cuts it. */
  upgraded: boolean
}

/**
 * Tracks the connections of an http.Server so that it can shut down without failing a
 * request. Node's own `server.close()` destroys every idle keep-alive connection at once, and
 * a request a client writes on one at that moment is reset (ECONNRESET); a connection whose
 * request is in flight is left open after its response (`Connection: keep-alive`), so a
 * client holding it keeps the process alive. Call it after the server's request and upgrade
 * handlers are attached and before it serves anything: it must see each connection arrive.
 */
export function trackConnections(server: Server): ConnectionDrain {
  const connections = new Map<Duplex, Connection>()
  let closing = false
  let closed: Promise<DrainReport> | undefined

  const idle = (connection: Connection): boolean =>
    !connection.upgraded &&
    (connection.response === undefined || connection.response.writableFinished)

  // Once shutdown began, a connection with nothing left to answer is closed: with FIN, after
  // whatever is still being written, so the client reads a complete last response.
  const endIfIdle = (socket: Duplex): void => {
    const connection = connections.get(socket)
    if (connection !== undefined && idle(connection)) socket.end()
  }

  // Node closes the connection itself after a `Connection: close` response; this is for one
  // whose head went out as keep-alive before shutdown began (a long response). The next tick
  // lets a request the client pipelined behind it register first. One function for every
  // response, not a closure each.
  function afterResponse(this: ServerResponse): void {
    const socket = this.req.socket
    setImmediate(() => endIfIdle(socket))
  }

  const watch = (response: ServerResponse): void => {
    if (!response.headersSent) response.setHeader('connection', 'close')
    response.on('close', afterResponse)
  }

  server.on('connection', (socket: Duplex) => {
    connections.set(socket, { response: undefined, upgraded: false })
    socket.once('close', () => connections.delete(socket))
  })

  const track = (request: IncomingMessage, response: ServerResponse): void => {
    const connection = connections.get(request.socket)
    if (connection === undefined) return
    connection.response = response
    if (closing) watch(response)
  }
  // Inside the server's own request listener rather than beside it: with two listeners, every
  // request pays for emit() copying the listener array. First, so the header is set before any
  // handler can write the head.
  const handlers = server.listeners('request') as ((...args: unknown[]) => void)[]
  server.removeAllListeners('request')
  server.on('request', function (this: Server, request: IncomingMessage, response: ServerResponse) {
    track(request, response)
    for (const handler of handlers) handler.call(this, request, response)
  })
  // Upgrades are tracked inside the server's own upgrade listeners too, never beside them: a
  // listener of its own would make two, and @servey/channels refuses the paths it does not
  // serve only when it is the one listener (with another, that one may serve them), so an
  // upgrade to any other path was left hanging, its socket held open forever. With no
  // upgrade listener, none is added: Node then answers upgrades as ordinary requests.
  const upgradeHandlers = server.listeners('upgrade') as ((...args: unknown[]) => void)[]
  if (upgradeHandlers.length > 0) {
    server.removeAllListeners('upgrade')
    server.on('upgrade', function (this: Server, request: IncomingMessage, ...rest: unknown[]) {
      const connection = connections.get(request.socket)
      if (connection !== undefined) connection.upgraded = true
      for (const handler of upgradeHandlers) handler.call(this, request, ...rest)
    })
  }

  const close = (options: DrainOptions): Promise<DrainReport> => {
    closing = true
    const lingerMs = Math.min(options.idleLingerMs ?? IDLE_LINGER_MS, options.graceMs)
    for (const connection of connections.values()) {
      const response = connection.response
      if (response !== undefined && !response.writableFinished) watch(response)
    }
    // http.Server.close() (also called by Fastify's close()) would destroy the idle
    // connections at once; this drain closes them itself, after the linger.
    server.closeIdleConnections = () => undefined
    return new Promise((resolve) => {
      let forced = 0
      const linger = setTimeout(() => {
        for (const socket of connections.keys()) endIfIdle(socket)
      }, lingerMs)
      const deadline = setTimeout(() => {
        forced = connections.size
        for (const socket of connections.keys()) socket.destroy()
      }, options.graceMs)
      // 'close' comes once the listener is closed and the last connection has gone.
      server.close(() => {
        clearTimeout(linger)
        clearTimeout(deadline)
        resolve({ forced })
      })
    })
  }

  return {
    get closing() {
      return closing
    },
    get size() {
      return connections.size
    },
    close(options) {
      closed ??= close(options)
      return closed
    },
  }
}
