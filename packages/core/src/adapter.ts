/**
 * @module @servey/core/adapter: the whole surface an adapter may use. An adapter translates a
 * transport's request into an `InvokeRequest`, calls `invoker.invoke`, and translates the
 * `InvokeOutcome` back, mapping errors through `toProblem` and the transport mapping tables.
 * It never validates, checks access or caches by itself: the pipeline does.
 */
export type { Registry } from './registry/registry.ts'
export type { RegisteredAction } from './registry/registered-action.ts'
export type { Invoker } from './invoke/invoker.ts'
export type { InvokeRequest, InvokeOutcome } from './invoke/pipeline.ts'
export type { InvokeBatchRequest } from './invoke/batch-pipeline.ts'
export type { Logger } from './log/logger.ts'
export type { ActionClient, ClientOutcome, ClientCallOptions } from './invoke/action-client.ts'
export type { InputSource } from './schema/validator.ts'
export { NamedSchemas } from './schema/named-schemas.ts'
export { ComponentSchemas, componentName } from './schema/component-schemas.ts'
export type { Trigger } from './trigger/trigger.ts'
export type { Example, ActionDefinition, AsyncDefinition } from './action/action.ts'
export type { JobRunner, JobRequest, JobState, JobStatus, JobCallback } from './jobs/job-runner.ts'
export { canSeeJob, checkCancellable } from './jobs/job-access.ts'
export type { AdmitOutcome } from './invoke/admit.ts'
export {
  checkCallbackUrl,
  resolveCallbackHost,
  isPublicAddress,
  parseAllowedHosts,
  type CallbackUrlPolicy,
} from './security/callback-url.ts'
export type { Authorization, ActionContext } from './action/context.ts'
export { systemAuthorization } from './security/system-authorization.ts'
export {
  isWebTrigger,
  webPathOf,
  pathParamsOf,
  QUERY_METHODS,
  type WebTrigger,
  type WebMethod,
} from './trigger/web-trigger.ts'
export {
  ActionError,
  toActionError,
  isActionError,
  type ValidationIssue,
} from './errors/action-error.ts'
export { toProblem, problemType, type Problem } from './errors/problem.ts'
export {
  httpStatusOf,
  websocketCloseCodeOf,
  exitCodeOf,
  isRetryable,
} from './errors/transport-mappings.ts'
export type { AuthChallenge } from './security/auth-challenge.ts'
export { ERROR_CODES, isKnownErrorCode, type ErrorCode } from './errors/error-codes.ts'
export { createDefinitionError, type DefinitionErrorFactory } from './errors/definition-error.ts'
export { describeAccess, type AccessPolicy } from './security/access-policy.ts'
export type { TokenIssuer } from './security/jwt-issuer.ts'
export { cacheControlOf, visibilityOf, type CachePolicy } from './cache/cache-policy.ts'
export { isSharedResult } from './cache/shared-result.ts'
export {
  isPageTrigger,
  pagePathOf,
  pageTemplateOf,
  type PageTrigger,
} from './trigger/page-trigger.ts'
export { isRedirect, type Redirect } from './page/redirect.ts'
