import { ActionError, type Logger } from '@servey/core/adapter'
import {
  REQUEST_ID_HEADER,
  type HttpHandler,
  type HttpResponse,
  type HttpRoute,
} from '@servey/http'
import { apiGatewayRequest } from './api-gateway-request.ts'
import { fromFetchResponse, toFetchRequest, type FetchHandler } from './fetch-route.ts'

/** What a proxy integration returns: payload 1.0 (REST API) and 2.0 (HTTP API) alike. */
export interface ApiGatewayResult {
  readonly statusCode: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** True for a binary body from a fetch route (an image, a download), sent as base64. */
  readonly isBase64Encoded: boolean
  /** HTTP API only: `Set-Cookie` values, which 2.0 takes apart from the headers. */
  readonly cookies?: readonly string[]
  /** REST API only: repeated headers (several `Set-Cookie`). */
  readonly multiValueHeaders?: Readonly<Record<string, readonly string[]>>
}

export interface ApiGatewayTarget {
  readonly http: HttpHandler
  /** The action of a per-action function: any other route is a 404 here. */
  readonly action: string | undefined
  readonly log: Logger
  /** Paths answered by a fetch handler (GraphQL's yoga) instead of the action routes. */
  readonly fetchRoutes?: ReadonlyMap<string, FetchHandler> | undefined
}

/**
 * Routes by the template API Gateway matched: `GET /actions/items/{id}` as REST's `resource`
 * or HTTP API's `routeKey`. The original compared the concrete path (`/actions/items/42`) with
 * the templates, so a templated route was never found in router mode.
 */
function routesByKey(http: HttpHandler): ReadonlyMap<string, HttpRoute> {
  const byKey = new Map<string, HttpRoute>()
  for (const route of http.routes.routes) {
    byKey.set(`${route.method} ${route.template.openApiPath}`, route)
    if (route.method === 'GET') byKey.set(`HEAD ${route.template.openApiPath}`, route)
  }
  return byKey
}

const keysCache = new WeakMap<HttpHandler, ReadonlyMap<string, HttpRoute>>()

/** Every answer names its request (`x-request-id`), as the server's do. */
function toResult(
  response: HttpResponse,
  version: 1 | 2,
  requestId: string | undefined,
): ApiGatewayResult {
  const { 'set-cookie': cookie, ...rest } = response.headers
  const headers = requestId === undefined ? rest : { ...rest, [REQUEST_ID_HEADER]: requestId }
  const body = response.body ?? ''
  if (version === 2 && cookie !== undefined) {
    return { statusCode: response.status, headers, body, isBase64Encoded: false, cookies: [cookie] }
  }
  return {
    statusCode: response.status,
    headers: cookie === undefined ? headers : { ...headers, 'set-cookie': cookie },
    body,
    isBase64Encoded: false,
  }
}

/**
 * One API Gateway proxy event answered through `@servey/http`, exactly as Fastify answers the
 * same request. It never throws: a malformed event is a 400 problem, an unexpected failure a
 * 500 problem with the request id, so API Gateway never turns it into a bare 502.
 */
export async function answerApiGateway(
  event: Record<string, unknown>,
  version: 1 | 2,
  target: ApiGatewayTarget,
  lambdaRequestId: string | undefined,
): Promise<ApiGatewayResult> {
  const { http } = target
  let requestId = lambdaRequestId
  try {
    const { request, routeKey, pathParameters } = apiGatewayRequest(event, version, {
      fallbackRequestId: lambdaRequestId,
    })
    requestId = request.requestId
    const fetchHandler = target.fetchRoutes?.get(request.path)
    if (fetchHandler !== undefined) {
      const fetched = await fromFetchResponse(
        await fetchHandler.fetch(toFetchRequest({ ...request, log: target.log })),
      )
      const { status, headers, cookies, body, isBase64Encoded } = fetched
      const result = {
        statusCode: status,
        headers: { ...headers, [REQUEST_ID_HEADER]: request.requestId },
        body,
        isBase64Encoded,
      }
      if (cookies.length === 0) return result
      return version === 2
        ? { ...result, cookies }
        : { ...result, multiValueHeaders: { 'set-cookie': cookies } }
    }
    let byKey = keysCache.get(http)
    if (byKey === undefined) keysCache.set(http, (byKey = routesByKey(http)))
    let route = routeKey === undefined ? undefined : byKey.get(routeKey)
    let params: Readonly<Record<string, string | undefined>> = pathParameters
    if (route === undefined) {
      // A catch-all (`$default`, `/{proxy+}`): route the concrete path as Fastify would.
      const match = http.routes.match(request.method, request.path)
      if (match.kind === 'route') {
        route = match.route
        params = match.params
      }
    }
    if (route !== undefined && target.action !== undefined && route.action.name !== target.action) {
      return toResult(http.notFound(request), version, requestId)
    }
    const response = await http.handle(
      route === undefined
        ? { ...request, log: target.log }
        : { ...request, route, params, log: target.log },
    )
    return toResult(response, version, requestId)
  } catch (thrown) {
    const error =
      thrown instanceof ActionError
        ? thrown
        : new ActionError('INTERNAL', 'Unexpected error', { cause: thrown })
    if (error.code === 'INTERNAL') {
      target.log.error({ err: thrown, requestId, code: error.code }, 'API Gateway request failed')
    }
    return toResult(http.problem(error, requestId), version, requestId)
  }
}
