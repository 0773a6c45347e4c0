import { ActionError, type Invoker } from '@servey/core/adapter'
import type { FastifyError, FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import { registerActionRoutes } from './action-routes.ts'
import { registerDocs } from './docs.ts'
import { fromFastifyError } from './fastify-errors.ts'
import { createOpenApiDocument, type OpenApiOptions } from './openapi/document.ts'
import { sendProblem } from './problem-reply.ts'
import { registerTokenEndpoint, type DevTokenOptions } from './token-endpoint.ts'

export interface ServeyRestOptions {
  readonly invoker: Invoker
  /** Dev mode: masked error messages and stacks are shown in problem bodies. Default false. */
  readonly dev?: boolean
  /** Serve `/openapi.json` and Swagger UI at `/docs`. Default true. */
  readonly docs?: boolean
  readonly openapi?: OpenApiOptions
  /**
   * The development token endpoint `POST /token` (OAuth 2 password grant). Leave it out in
   * production: `servey start` and NODE_ENV=production do unless told otherwise.
   */
  readonly devToken?: DevTokenOptions
}

/**
 * The REST adapter as a Fastify plugin: one route per web trigger, problem+json errors for
 * every failure on the server (its own routes and Fastify's body parsing alike), a 404 in the
 * same shape, and the docs. Registered without encapsulation so the error and not-found
 * handlers cover the whole server.
 */
const plugin: FastifyPluginAsync<ServeyRestOptions> = async (app, options) => {
  const dev = options.dev ?? false
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = fromFastifyError(error)
    // Errors that reach this handler did not pass through core's pipeline, so log them here.
    if (problem.status >= 500) request.log.error({ err: error, code: problem.code }, error.message)
    return sendProblem(request, reply, problem, dev)
  })
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      request,
      reply,
      new ActionError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`),
      dev,
    ),
  )
  registerActionRoutes(app, options.invoker, dev)
  if (options.devToken !== undefined) await registerTokenEndpoint(app, options.devToken)
  if (options.docs ?? true) {
    const document = createOpenApiDocument(options.invoker.registry, {
      ...options.openapi,
      tokenUrl: options.devToken === undefined ? undefined : '/token',
    })
    await registerDocs(app, document)
  }
}

export const serveyRest = fp(plugin, { fastify: '5.x', name: '@servey/rest' })
