/**
 * @module @servey/http: Servey's HTTP semantics, once, for every HTTP transport. A transport
 * (Fastify in `@servey/rest`, API Gateway in `@servey/aws`) turns its request into an
 * `HttpRequest`, calls `handle`, and writes the `HttpResponse` back. Routes, input reading,
 * result encoding, cache headers, async calls and problem+json all live here.
 *
 * Imports `@servey/core/adapter` and transport-neutral libraries only: never a server
 * framework, never AWS types.
 */
export { createHttpHandler, type HttpHandler, type HttpHandlerOptions } from './http-handler.ts'
export {
  headerOf,
  lowerCaseHeaders,
  type HttpHeaders,
  type HttpRequest,
  type HttpResponse,
} from './http-message.ts'
export {
  createRouteTable,
  type ActionRoute,
  type HttpRoute,
  type PageRoute,
  type RouteMatch,
  type RouteTable,
} from './route-table.ts'
export { parsePathTemplate, type PathTemplate } from './path-template.ts'
export type { RouteHandler } from './action-endpoint.ts'
export { JSON_CONTENT_TYPE } from './action-endpoint.ts'
export {
  problemResponse,
  formatChallenge,
  PROBLEM_CONTENT_TYPE,
  type ProblemResponseOptions,
} from './problem-response.ts'
export {
  parseQuery,
  queryFromDecoded,
  writeQuery,
  DEFAULT_QUERY_LIMIT,
  type DecodedQuery,
} from './query.ts'
export { readJsonBody, isJsonContentType, DEFAULT_BODY_LIMIT } from './json-body.ts'
export { prefersAsync, type HttpJobsOptions } from './async-call.ts'
export { strongEtag, ifNoneMatchMatches } from './etag.ts'
export { httpDefinitionErrors } from './errors.ts'
export {
  HEALTH_PATH,
  READY_PATH,
  RESERVED_PATHS,
  checkReadiness,
  livenessResponse,
  readinessResponse,
  requestIdFrom,
  type HealthOptions,
  type NotReadyReason,
  type Readiness,
  type ReadinessCheck,
} from './health.ts'
export { hasDotSegment } from './request-target.ts'
export { newRequestId, REQUEST_ID_HEADER } from './request-id.ts'
export { clientErrorResponse } from './client-error.ts'
export type { HttpPagesOptions } from './page-endpoint.ts'
export { HTML_CONTENT_TYPE } from './page-renderer.ts'
export {
  createOpenApiDocument,
  RELATIVE_SERVERS,
  type OpenApiOptions,
  type OpenApiServer,
} from './openapi/document.ts'
export { createServedOpenApi, serversForRequest } from './openapi/served-document.ts'
