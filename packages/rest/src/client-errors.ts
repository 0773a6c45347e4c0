import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import { clientErrorResponse } from '@servey/http'

/**
 * Node's `clientError` (a request its parser refused, headers over the limit, a request not
 * received in time) answered with the HTTP layer's problem+json instead of Node's or Fastify's
 * own bodies. Written on the socket, since there is no request or reply: the parser never made
 * one. Pass it as Fastify's `clientErrorHandler`, or listen with it on any `http.Server`.
 */
export function handleClientError(
  error: Error & { code?: string; rawPacket?: unknown },
  socket: Duplex,
): void {
  // The client is gone, or an answer is already on its way: nothing can be written.
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  // As Node does: no answer over one already started on this connection (a pipelined request).
  const inFlight = (socket as { _httpMessage?: { _headerSent?: boolean } | null })._httpMessage
  if (!socket.writable || inFlight?._headerSent === true) {
    socket.destroy(error)
    return
  }
  // Node attaches the bytes its parser gave up on (Fastify's type says otherwise).
  const rawPacket = error.rawPacket instanceof Uint8Array ? error.rawPacket : undefined
  const response = clientErrorResponse({ code: error.code, rawPacket })
  let head = `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}\r\n`
  for (const [name, value] of Object.entries(response.headers)) head += `${name}: ${value}\r\n`
  socket.end(`${head}\r\n${response.body ?? ''}`)
}
