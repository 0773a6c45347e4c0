import { ActionError, type Invoker } from '@servey/core/adapter'
import type { FastifyError, FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import { registerActionRoutes } from './action-routes.ts'
import type { RestJobsOptions } from './async-call.ts'
import { registerJobRoutes } from './jobs-routes.ts'
import { registerDocs } from './docs.ts'
import { registerPages, type HtmlNotFound } from './pages/register-pages.ts'
import type { PagesOptions } from './pages/page-routes.ts'
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
  /**
   * HTML pages from nunjucks templates (actions with a `page()` trigger) and static files:
   * `{ templates: 'templates', public: 'public' }`. See docs/reference/pages.md.
   */
  readonly pages?: PagesOptions
  /**
   * Background calls: `Prefer: respond-async` and callback headers answer 202 with
   * `Location: /jobs/<id>`, and `GET`/`DELETE /jobs/:id` read and cancel jobs. Without it
   * every call runs in the request. See docs/reference/scheduler.md.
   */
  readonly jobs?: RestJobsOptions
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
  // Set once the pages are registered: browsers then get the app's 404 page.
  const pages: { notFound?: HtmlNotFound | undefined } = {}
  app.setNotFoundHandler(
    (request, reply) =>
      pages.notFound?.(request, reply) ??
      sendProblem(
        request,
        reply,
        new ActionError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`),
        dev,
      ),
  )
  registerActionRoutes(app, options.invoker, dev, options.jobs)
  if (options.jobs !== undefined) registerJobRoutes(app, options.invoker, options.jobs, dev)
  pages.notFound = await registerPages(app, options.invoker, options.pages, dev)
  if (options.devToken !== undefined) await registerTokenEndpoint(app, options.devToken)
  if (options.docs ?? true) {
    const document = createOpenApiDocument(options.invoker.registry, {
      ...options.openapi,
      tokenUrl: options.devToken === undefined ? undefined : '/token',
      jobs: options.jobs !== undefined,
    })
    await registerDocs(app, document)
  }
}

export const serveyRest = fp(plugin, { fastify: '5.x', name: '@servey/rest' })
