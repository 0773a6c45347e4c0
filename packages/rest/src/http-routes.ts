import type { HttpHandler } from '@servey/http'
import type { FastifyInstance } from 'fastify'
import { FastifyHttpRequest, sendHttpResponse } from './http-bridge.ts'
import { ADMITS_ITSELF, type RequestAdmission } from './request-admission.ts'

const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

/**
 * A Fastify route per route of the HTTP layer (actions and pages), and on every path it
 * serves a route for the other methods, which the HTTP layer answers with 405 and `Allow`. Fastify routes and
 * reads the body; everything else is `@servey/http`'s. Fastify's own schema validation and
 * serializer are not used: core validates, and the HTTP layer encodes results.
 */
export async function registerHttpRoutes(
  app: FastifyInstance,
  http: HttpHandler,
  admit: RequestAdmission,
): Promise<void> {
  // The hot path: each route admits its requests itself, one call instead of a hook runner.
  const config = { [ADMITS_ITSELF]: true }
  await app.register(async (scope) => {
    // Every body reaches the HTTP layer as bytes, whatever its type: it applies the body rules
    // (JSON and `+json` only, UTF-8, 400, 413, 415) for every transport alike. Fastify's `bodyLimit`
    // still stops an oversized body while it is read. Encapsulated: other routes keep
    // Fastify's parsers.
    scope.removeAllContentTypeParsers()
    const asBytes = (
      _request: unknown,
      body: Buffer,
      done: (error: null, body: Buffer) => void,
    ) => {
      done(null, body)
    }
    // The same parser under JSON's own name as well: Fastify caches the parser it finds for a
    // content type, but not the catch-all, which it reaches by parsing the header anew on
    // every request.
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, asBytes)
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, asBytes)
    for (const route of http.routes.routes) {
      const handle = http.routeHandler(route)
      scope.route({
        method: route.method,
        url: route.template.path,
        config,
        // Not an async function: an answer the HTTP layer has at once is sent at once, and
        // a handler that returns nothing tells Fastify the reply is taken care of.
        handler: (request, reply) => {
          if (!admit(request, reply)) return undefined
          const response = handle(
            new FastifyHttpRequest(request, reply, route),
            request.params as Record<string, string>,
          )
          if (response instanceof Promise) {
            return response.then((settled) => sendHttpResponse(reply, settled))
          }
          sendHttpResponse(reply, response)
          return undefined
        },
      })
    }
    for (const [path, allow] of http.routes.allowByPath) {
      const others = ALL_METHODS.filter((method) => !allow.split(', ').includes(method))
      if (others.length === 0) continue
      scope.route({
        method: others,
        url: path,
        config,
        handler: async (request, reply) => {
          if (!admit(request, reply)) return reply
          return sendHttpResponse(reply, await http.handle(new FastifyHttpRequest(request, reply)))
        },
      })
    }
  })
}
