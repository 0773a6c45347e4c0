/**
 * @module @servey/rest: serve a Servey registry over HTTP with Fastify, with an OpenAPI 3.1
 * document and Swagger UI that works offline.
 *
 * Adapter rule: this package imports only `@servey/core/adapter`, `@servey/http`, Fastify and
 * its plugins; every HTTP rule is `@servey/http`'s.
 */
export { serveyRest, type ServeyRestOptions, type RestJobsOptions } from './plugin.ts'
export {
  createServer,
  MAX_HEADER_SIZE,
  type CreateServerOptions,
  type LoggerOptions,
} from './create-server.ts'
export { LOAD_SHEDDING_EXEMPT, type LoadSheddingOptions } from './load-shedding.ts'
export {
  admissionHook,
  admitEveryRoute,
  createAdmission,
  type RequestAdmission,
} from './request-admission.ts'
export { handleClientError } from './client-errors.ts'
export { jsonLogDestination, type LogDestination } from './log-destination.ts'
export { createRestClient, type RestClientOptions } from './rest-client.ts'
export {
  invokeAsync,
  type InvokeAsyncOptions,
  type JobHandle,
  type JobOutcome,
} from './async-client.ts'
export type { DevTokenOptions } from './token-endpoint.ts'
export type { PagesOptions } from './static-files.ts'
export type { HealthOptions } from './health-routes.ts'
export {
  DOCS_CONTENT_SECURITY_POLICY,
  type CompressOptions,
  type CorsOptions,
  type HelmetOptions,
  type ServerPlugin,
  type ServerPluginOptions,
} from './server-plugins.ts'
