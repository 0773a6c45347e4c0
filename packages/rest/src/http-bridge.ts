import type { HttpRequest, HttpResponse, HttpRoute } from '@servey/http'
import type { FastifyReply, FastifyRequest } from 'fastify'

/**
 * A Fastify request as `@servey/http` reads it. A class with a lazy `signal`: core reads it
 * only for async handlers, and a listener per request would be waste for the others.
 */
export class FastifyHttpRequest implements HttpRequest {
  readonly method: string
  readonly path: string
  readonly query: string
  readonly headers: FastifyRequest['headers']
  readonly body: Uint8Array | undefined
  readonly requestId: string
  readonly route: HttpRoute | undefined
  readonly params: Readonly<Record<string, string | undefined>> | undefined
  readonly log: FastifyRequest['log']
  readonly #reply: FastifyReply

  constructor(request: FastifyRequest, reply: FastifyReply, route?: HttpRoute) {
    const url = request.url
    const mark = url.indexOf('?')
    this.method = request.method
    this.path = mark === -1 ? url : url.slice(0, mark)
    this.query = mark === -1 ? '' : url.slice(mark + 1)
    this.headers = request.headers
    // The action routes' content-type parser hands every body over as bytes (see
    // http-routes.ts): the HTTP layer decodes them, refusing what is not UTF-8.
    this.body = request.body instanceof Uint8Array ? request.body : undefined
    this.requestId = request.id
    this.route = route
    this.params = route === undefined ? undefined : (request.params as Record<string, string>)
    this.log = request.log
    this.#reply = reply
  }

  /** Fires when the client goes away before the answer. */
  get signal(): AbortSignal {
    const controller = new AbortController()
    const raw = this.#reply.raw
    raw.once('close', () => {
      if (!raw.writableFinished) controller.abort()
    })
    return controller.signal
  }
}

/** Write an `HttpResponse` as Fastify's reply. */
export function sendHttpResponse(reply: FastifyReply, response: HttpResponse): FastifyReply {
  reply.code(response.status)
  const headers = response.headers
  for (const name in headers) reply.header(name, headers[name])
  return response.body === undefined ? reply.send() : reply.send(response.body)
}
