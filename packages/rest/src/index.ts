/**
 * @module @servey/rest: serve a Servey registry over HTTP with Fastify, with an OpenAPI 3.1
 * document and Swagger UI that works offline.
 *
 * Adapter rule: this package imports only `@servey/core/adapter`, Fastify and its plugins.
 */
export { serveyRest, type ServeyRestOptions } from './plugin.ts'
export {
  createServer,
  MAX_HEADER_SIZE,
  type CreateServerOptions,
  type LoggerOptions,
} from './create-server.ts'
export { createOpenApiDocument, type OpenApiOptions } from './openapi/document.ts'
export { createRestClient, type RestClientOptions } from './rest-client.ts'
export {
  invokeAsync,
  type InvokeAsyncOptions,
  type JobHandle,
  type JobOutcome,
} from './async-client.ts'
export { prefersAsync, type RestJobsOptions } from './async-call.ts'
export { restDefinitionErrors } from './errors.ts'
export { PROBLEM_CONTENT_TYPE } from './problem-reply.ts'
export type { DevTokenOptions } from './token-endpoint.ts'
export type { PagesOptions } from './pages/page-routes.ts'
