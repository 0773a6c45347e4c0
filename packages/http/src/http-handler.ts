import { ActionError, type Invoker } from '@servey/core/adapter'
import { createActionEndpoint, type RouteHandler } from './action-endpoint.ts'
import type { HttpJobsOptions } from './async-call.ts'
import {
  HEALTH_PATH,
  READY_PATH,
  checkReadiness,
  livenessResponse,
  readinessResponse,
  type HealthOptions,
} from './health.ts'
import { headerOf, type HttpRequest, type HttpResponse } from './http-message.ts'
import { createPageEndpoint, errorPage, type HttpPagesOptions } from './page-endpoint.ts'
import { PageRenderer } from './page-renderer.ts'
import { DEFAULT_BODY_LIMIT } from './json-body.ts'
import { DEFAULT_QUERY_LIMIT } from './query.ts'
import { problemResponse } from './problem-response.ts'
import { badUrlError, decodesCleanly, dotSegmentError, hasDotSegment } from './request-target.ts'
import { createResultEncoders } from './result-encoder.ts'
import { createRouteTable, type HttpRoute, type RouteTable } from './route-table.ts'

export interface HttpHandlerOptions {
  readonly invoker: Invoker
  /** Dev mode: masked error messages and stacks are shown in problem bodies. Default false. */
  readonly dev?: boolean
  /**
   * Background calls: `Prefer: respond-async` and callback headers answer 202 with
   * `Location: /jobs/<id>`. Without it every call runs in the request.
   */
  readonly jobs?: HttpJobsOptions
  /** Largest accepted body in bytes. Default 1 MiB. */
  readonly bodyLimit?: number
  /** Longest accepted query string in characters; longer is 414 URI_TOO_LONG. Default 16 KiB. */
  readonly queryLimit?: number
  /** The `realm` of `WWW-Authenticate` challenges. Default `servey`. */
  readonly realm?: string
  /** Serve page triggers as HTML from these templates. Without it, pages are not served. */
  readonly pages?: HttpPagesOptions
  /**
   * Answer `GET`/`HEAD /health` and `/ready` in `handle` (docs/reference/health.md), for a
   * transport that hands every request to `handle` (API Gateway). Without it they are not
   * answered here: Fastify registers them as routes of its own.
   */
  readonly health?: HealthOptions
}

/** Servey's HTTP semantics as one function from request to response. */
export interface HttpHandler {
  /** Every route, for transports that register routes themselves (Fastify, API Gateway). */
  readonly routes: RouteTable
  /** Answer one request, routing it first unless `request.route` says where it goes. */
  handle(request: HttpRequest): Promise<HttpResponse>
  /** The compiled handler of one route, for a transport that has matched it itself. */
  routeHandler(route: HttpRoute): RouteHandler
  /**
   * The answer for a request no route serves: the app's 404 page for a browser when pages
   * are served (not under `/actions/`), else a NOT_FOUND problem; a 400 for a path with a dot
   * segment (see `refuseTarget`).
   */
  notFound(request: HttpRequest): HttpResponse
  /**
   * The 400 BAD_REQUEST problem for a path with a `.` or `..` segment (`/../package.json`,
   * `/%2e%2e/x`) or one that does not percent-decode (`/items/%E0%A4%A`), else undefined. `handle`, `notFound` and the routes with path parameters
   * apply it; a transport calls it for what it serves on its own (static files).
   */
  refuseTarget(request: Pick<HttpRequest, 'path' | 'requestId'>): HttpResponse | undefined
  /** An error as this handler answers it (problem+json, challenge, request id, dev). */
  problem(
    error: ActionError,
    requestId?: string,
    headers?: Readonly<Record<string, string>>,
  ): HttpResponse
}

/**
 * Build the HTTP layer of an invoker: the route table, each action route compiled once, and
 * `handle`, which every HTTP transport calls with a plain request and writes back the plain
 * response. The rules it applies are in docs/reference/http.md.
 */
export function createHttpHandler(options: HttpHandlerOptions): HttpHandler {
  const { invoker } = options
  const dev = options.dev ?? false
  const realm = options.realm
  const routes = createRouteTable(invoker.registry, { pages: options.pages !== undefined })
  const encoderOf = createResultEncoders(invoker.registry)
  const settings = {
    invoker,
    dev,
    jobs: options.jobs,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    queryLimit: options.queryLimit ?? DEFAULT_QUERY_LIMIT,
    realm,
  }
  const problem: HttpHandler['problem'] = (error, requestId, headers) =>
    problemResponse(error, { requestId, dev, realm }, headers)

  const refuseTarget: HttpHandler['refuseTarget'] = (request) => {
    if (hasDotSegment(request.path)) return problem(dotSegmentError(), request.requestId)
    if (!decodesCleanly(request.path)) return problem(badUrlError(), request.requestId)
    return undefined
  }
  // Only a route with path parameters can match a dot segment (`/orders/..`): the others are
  // matched literally, so they pay nothing for the check.
  const guarded = (route: HttpRoute, handler: RouteHandler): RouteHandler =>
    route.template.params.length === 0
      ? handler
      : (request, params) => {
          const refused = refuseTarget(request)
          return refused === undefined ? handler(request, params) : Promise.resolve(refused)
        }

  const handlers = new Map<HttpRoute, RouteHandler>()
  for (const route of routes.actionRoutes) {
    handlers.set(
      route,
      guarded(route, createActionEndpoint(route, settings, encoderOf(route.action))),
    )
  }
  const renderer =
    options.pages === undefined ? undefined : new PageRenderer(options.pages.templates, dev)
  if (renderer !== undefined) {
    const pageSettings = {
      invoker,
      renderer,
      loginPath: options.pages?.loginPath,
      realm,
      queryLimit: settings.queryLimit,
    }
    for (const route of routes.pageRoutes) {
      // A missing or broken template fails at start-up, naming the action and the file.
      renderer.check(route.templateFile, route.action.name)
      handlers.set(route, guarded(route, createPageEndpoint(route, pageSettings)))
    }
  }
  const notFound = (request: HttpRequest): HttpResponse => {
    const refused = refuseTarget(request)
    if (refused !== undefined) return refused
    const accept = headerOf(request.headers, 'accept') ?? ''
    if (
      renderer !== undefined &&
      accept.includes('text/html') &&
      !request.path.startsWith('/actions/')
    ) {
      const error = new ActionError('NOT_FOUND', `No page at ${request.path}`)
      return errorPage(request, error, { renderer, realm })
    }
    const error = new ActionError('NOT_FOUND', `No route ${request.method} ${request.path}`)
    return problem(error, request.requestId)
  }
  const routeHandler = (route: HttpRoute): RouteHandler => {
    const handler = handlers.get(route)
    if (handler === undefined)
      throw new TypeError(`${route.method} ${route.template.path} is not a route of this handler`)
    return handler
  }

  const { health } = options
  const answer = async (request: HttpRequest): Promise<HttpResponse> => {
    let { route, params } = request
    if (route === undefined) {
      if (health !== undefined && (request.method === 'GET' || request.method === 'HEAD')) {
        if (request.path === HEALTH_PATH) return livenessResponse()
        if (request.path === READY_PATH) {
          const readiness = await checkReadiness(health.readiness, request.log)
          return readinessResponse(readiness, request.requestId)
        }
      }
      const refused = refuseTarget(request)
      if (refused !== undefined) return refused
      const match = routes.match(request.method, request.path)
      if (match.kind === 'not-found') return notFound(request)
      if (match.kind === 'method-not-allowed') {
        const error = new ActionError(
          'METHOD_NOT_ALLOWED',
          `${request.method} is not allowed here; use ${match.allow}`,
        )
        return problem(error, request.requestId, { allow: match.allow })
      }
      if (match.kind === 'bad-request') {
        return problem(new ActionError('BAD_REQUEST', match.detail), request.requestId)
      }
      route = match.route
      params = match.params
    }
    return routeHandler(route)(request, params)
  }

  return {
    routes,
    routeHandler,
    problem,
    notFound: (request) => withoutBodyForHead(request, notFound(request)),
    refuseTarget,
    async handle(request) {
      return withoutBodyForHead(request, await answer(request))
    },
  }
}

/**
 * HEAD: the GET answer's status and headers, its length, and no content (RFC 9110 §9.3.2),
 * for every answer alike: a result, a 404, a 405, a 400. Node drops a HEAD body on a socket,
 * but API Gateway would send it.
 */
function withoutBodyForHead(request: HttpRequest, response: HttpResponse): HttpResponse {
  if (request.method !== 'HEAD' || response.body === undefined) return response
  return {
    status: response.status,
    headers: { ...response.headers, 'content-length': String(Buffer.byteLength(response.body)) },
    body: undefined,
  }
}
