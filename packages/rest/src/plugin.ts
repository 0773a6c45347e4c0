import type { Invoker } from '@servey/core/adapter'
import {
  createHttpHandler,
  createOpenApiDocument,
  type HttpJobsOptions,
  type OpenApiOptions,
  REQUEST_ID_HEADER,
} from '@servey/http'
import type { FastifyError, FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import { registerHttpRoutes } from './http-routes.ts'
import { registerHealthRoutes, type HealthOptions } from './health-routes.ts'
import { FastifyHttpRequest, sendHttpResponse } from './http-bridge.ts'
import { registerJobRoutes } from './jobs-routes.ts'
import { registerDocs } from './docs.ts'
import { registerStaticFiles, type PagesOptions } from './static-files.ts'
import { fromFastifyError } from './fastify-errors.ts'

import { sendProblem } from './problem-reply.ts'
import { registerTokenEndpoint, type DevTokenOptions } from './token-endpoint.ts'
import {
  addRouteHook,
  admissionHook,
  createAdmission,
  type RequestAdmission,
} from './request-admission.ts'

export interface ServeyRestOptions {
  readonly invoker: Invoker
  /** Dev mode: masked error messages and stacks are shown in problem bodies. Default false. */
  readonly dev?: boolean
  /** Serve `/openapi.json`, Swagger UI at `/docs` and ReDoc at `/redoc`. Default true. */
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
  /**
   * `GET /health` (liveness) and `GET /ready` (readiness); `false` leaves them out. Default on,
   * always ready. See docs/reference/health.md.
   */
  readonly health?: HealthOptions | false
  /** Longest accepted query string in characters; longer is 414 URI_TOO_LONG. Default 16 KiB. */
  readonly queryLimit?: number
  /**
   * How each request is admitted (its id echoed as `x-request-id`; see `createAdmission`).
   * When given, Servey's action and page routes and its not-found handler call it themselves,
   * and the caller gives every other route the same with `admitEveryRoute` (as `createServer`
   * does); without it, a server-wide `onRequest` hook echoes the request id.
   */
  readonly admission?: RequestAdmission
}

/** Background calls over HTTP; see `@servey/http`. */
export type RestJobsOptions = HttpJobsOptions

/**
 * The REST adapter as a Fastify plugin: one route per web trigger, problem+json errors for
 * every failure on the server (its own routes and Fastify's body parsing alike), a 404 in the
 * same shape, and the docs. Registered without encapsulation so the error and not-found
 * handlers cover the whole server.
 */
const plugin: FastifyPluginAsync<ServeyRestOptions> = async (app, options) => {
  const dev = options.dev ?? false
  const templates = options.pages?.templates
  const http = createHttpHandler({
    invoker: options.invoker,
    dev,
    ...(options.jobs === undefined ? {} : { jobs: options.jobs }),
    ...(templates === undefined
      ? {}
      : { pages: { templates, loginPath: options.pages?.loginPath } }),
    bodyLimit: app.initialConfig.bodyLimit,
    ...(options.queryLimit === undefined ? {} : { queryLimit: options.queryLimit }),
  })
  let admit = options.admission
  if (admit === undefined) {
    // Every answer names its request; the routes' own calls then find it done already.
    admit = createAdmission()
    app.addHook('onRequest', admissionHook(admit))
  }
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // Also errors before a route admitted the request (a body over the limit).
    reply.header(REQUEST_ID_HEADER, request.id)
    const problem = fromFastifyError(error)
    // Errors that reach this handler did not pass through core's pipeline, so log them here.
    if (problem.status >= 500) request.log.error({ err: error, code: problem.code }, error.message)
    return sendProblem(http, request, reply, problem)
  })
  app.setNotFoundHandler((request, reply) => {
    // Not a route, so nothing admitted it yet.
    if (admit(request, reply))
      sendHttpResponse(reply, http.notFound(new FastifyHttpRequest(request, reply)))
  })
  await registerHttpRoutes(app, http, admit)
  if (options.health !== false) registerHealthRoutes(app, options.health ?? {})
  if (options.devToken !== undefined) await registerTokenEndpoint(app, options.devToken)
  // Static files, Swagger UI's assets and `/jobs/:id` match any path below them, dot segments
  // included (`/../package.json` would be @fastify/static's 403): the HTTP layer's 400 comes
  // first. A scope of their own, so the action routes pay nothing for the hook.
  await app.register(async (scope) => {
    // A hook of each route rather than of the scope: a scope's hooks run before its routes'
    // own, and admission (a route hook under `admitEveryRoute`) must come first.
    addRouteHook(scope, 'last', (request, reply, done) => {
      const mark = request.url.indexOf('?')
      const path = mark === -1 ? request.url : request.url.slice(0, mark)
      const refused = http.refuseTarget({ path, requestId: request.id })
      if (refused === undefined) done()
      else sendHttpResponse(reply, refused)
    })
    if (options.jobs !== undefined) registerJobRoutes(scope, http, options.invoker, options.jobs)
    await registerStaticFiles(scope, options.pages)
    if (options.docs ?? true) {
      const document = createOpenApiDocument(options.invoker.registry, {
        ...options.openapi,
        tokenUrl: options.devToken === undefined ? options.openapi?.tokenUrl : '/token',
        jobs: options.jobs !== undefined,
      })
      await registerDocs(scope, document, options.openapi?.servers)
    }
  })
}

export const serveyRest = fp(plugin, { fastify: '5.x', name: '@servey/rest' })
