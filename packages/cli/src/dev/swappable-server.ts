import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from 'node:http'
import type { Duplex } from 'node:stream'
import { trackConnections, type DrainReport } from '../server/connection-drain.ts'

/**
 * An app as the swappable server sees it: an http.Server that is never listened on, whose
 * `request` and `upgrade` listeners serve the app. A Fastify instance's `server` is exactly
 * that until `listen()` is called.
 */
export interface ServedApp {
  readonly server: Server
}

export type FallbackHandler = (request: IncomingMessage, response: ServerResponse) => void

export interface SwappableServer {
  /** The one listening socket; stays open across swaps. */
  readonly server: Server
  /** Route new requests to `app` from now on; returns the app that was served before. */
  swap(app: ServedApp): ServedApp | undefined
  /**
   * Stop accepting connections and drain the open ones ({@link trackConnections}): what
   * arrives is answered with `Connection: close`, busy connections close after their
   * response, idle ones after `idleLingerMs`, and any still open after `graceMs` are cut.
   */
  close(graceMs?: number, idleLingerMs?: number): Promise<DrainReport>
}

/**
 * One listening http.Server in front of whichever app is current, so a reload swaps the app
 * between two requests: no port is closed and reopened, and no request is refused. Requests
 * already in progress finish on the app that accepted them.
 */
export function createSwappableServer(
  fallback: FallbackHandler,
  options: ServerOptions = {},
): SwappableServer {
  let current: ServedApp | undefined
  const server = createServer(options, (request, response) => {
    if (current === undefined) fallback(request, response)
    else current.server.emit('request', request, response)
  })
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Without an upgrade listener on the app (no websocket routes) the socket would hang.
    if (current === undefined || current.server.listenerCount('upgrade') === 0) socket.destroy()
    else current.server.emit('upgrade', request, socket, head)
  })
  // Before anything listens, so the drain sees every connection.
  const connections = trackConnections(server)
  return {
    server,
    swap(app) {
      const previous = current
      current = app
      return previous
    },
    close(graceMs = 5000, idleLingerMs) {
      return connections.close({
        graceMs,
        ...(idleLingerMs === undefined ? {} : { idleLingerMs }),
      })
    },
  }
}
