/**
 * @module @servey/core: declare an action once with `action()`; every adapter serves it
 * through the same registry and invoke pipeline.
 */

// Declaring actions
export { action } from './action/define-action.ts'
export { isAction, ACTION_KEY } from './action/action.ts'
export type {
  Action,
  AnyAction,
  ActionDefinition,
  ActionOptions,
  CallOptions,
  Example,
  Handler,
  BatchHandler,
  ContextOf,
  NestedActionContext,
  AsyncOptions,
  AsyncDefinition,
  CallbackHeaderNames,
} from './action/action.ts'
export type { ActionCache, ActionContext, AnyActionRef, Authorization } from './action/context.ts'
export { toMilliseconds, type Duration } from './action/duration.ts'
export { toSnakeCase, toKebabCase, toCamelCase, isValidActionName } from './action/naming.ts'
export { Type } from 'typebox'
export type { Static, TSchema, TObject } from 'typebox'

// Triggers
export { DIRECT, isTrigger, type Trigger, type DirectTrigger } from './trigger/trigger.ts'
export {
  web,
  WEB_GET,
  WEB_POST,
  WEB_PUT,
  WEB_PATCH,
  WEB_DELETE,
  WEB_METHODS,
  QUERY_METHODS,
  isWebTrigger,
  webPathOf,
  pathParamsOf,
  type WebTrigger,
  type WebTriggerOptions,
  type WebMethod,
} from './trigger/web-trigger.ts'

// Registry and invocation
export { createRegistry, type Registry, type RegistryOptions } from './registry/registry.ts'
export type { RegisteredAction } from './registry/registered-action.ts'
export { createInvoker, type Invoker, type InvokerOptions } from './invoke/invoker.ts'
export type { InvokeRequest, InvokeOutcome } from './invoke/pipeline.ts'
export type { InvokeBatchRequest } from './invoke/batch-pipeline.ts'
export type { InvokeHooks, InvokePlugin, InvokeEvent, ShortCircuit } from './invoke/hooks.ts'
export {
  createInProcessClient,
  type ActionClient,
  type ClientOutcome,
  type ClientCallOptions,
} from './invoke/action-client.ts'
export { silentLogger, type Logger } from './log/logger.ts'
export {
  summarizeIssues,
  type InputSource,
  type PrecompiledValidator,
  type PrecompiledValidators,
} from './schema/validator.ts'

// Event channels
export { channel, bindChannelPublisher } from './channel/define-channel.ts'
export { isChannel, CHANNEL_KEY } from './channel/channel.ts'
export type {
  Channel,
  AnyChannel,
  ChannelOptions,
  ChannelDefinition,
  ChannelEnvelope,
  ChannelExample,
  ChannelFilter,
  ChannelPublisher,
  PublishOptions,
} from './channel/channel.ts'
export type { RegisteredChannel } from './channel/registered-channel.ts'
export {
  createChannelHub,
  type ChannelHub,
  type ChannelHubOptions,
  type Subscriber,
  type Subscription,
} from './channel/channel-hub.ts'
export {
  DEFAULT_HISTORY,
  type ChannelBackend,
  type HistoryLimits,
  type HistoryRead,
} from './channel/channel-backend.ts'
export { createMemoryChannelBackend } from './channel/memory-channel-backend.ts'
export type {
  ChannelHandlerOptions,
  ActionHandlerOptions,
  WebhookHandlerOptions,
  HandlerFilter,
  HandlerEventMeta,
  ChannelHandler,
  ActionHandler,
  WebhookHandler,
} from './channel/channel-handler.ts'
export type { RegisteredHandler } from './channel/registered-channel.ts'
export { selectHandlers } from './channel/select-handlers.ts'
export type {
  ChannelHandlerRuntime,
  WebhookSender,
  WebhookDelivery,
} from './channel/handler-runtime.ts'
export { compareEventIds, isEventId, nextEventId } from './channel/event-id.ts'
export { parseClientFrame, type ClientFrame } from './channel/client-frame.ts'
export {
  BEARER_PROTOCOL,
  offeredProtocols,
  upgradeAuthorization,
} from './channel/websocket-credentials.ts'
export { serializeEnvelope, serializeErrorFrame } from './channel/frames.ts'
export { shouldDeliver, passesFilter, type Recipient } from './channel/should-deliver.ts'

// Background jobs
export type { JobRunner, JobRequest, JobState, JobStatus, JobCallback } from './jobs/job-runner.ts'
export { canSeeJob, checkCancellable } from './jobs/job-access.ts'
export type { AdmitOutcome } from './invoke/admit.ts'

// Cache policy, the server-side result cache and pages
export {
  ttl,
  noStore,
  cacheControlOf,
  visibilityOf,
  type CacheOptions,
  type CachePolicy,
  type CacheVisibility,
  type ServerCacheOption,
} from './cache/cache-policy.ts'
export type { CacheStore } from './cache/cache-store.ts'
export { canonicalJson } from './cache/cache-key.ts'
export {
  createResultCache,
  type ResultCache,
  type ResultCacheOptions,
} from './cache/result-cache.ts'
export { type CacheInvalidator } from './cache/action-cache.ts'
export {
  page,
  PAGE,
  isPageTrigger,
  pagePathOf,
  pageTemplateOf,
  type PageTrigger,
  type PageTriggerOptions,
} from './trigger/page-trigger.ts'
export { redirect, isRedirect, type Redirect, type RedirectStatus } from './page/redirect.ts'

// Security
export {
  allowAll,
  authenticated,
  anyScope,
  allScopes,
  custom,
  describeAccess,
  type AccessPolicy,
  type AccessPredicate,
  type ScopePolicy,
  type CustomPolicy,
} from './security/access-policy.ts'
export type { Authenticator } from './security/authenticator.ts'
export { authorizationFromClaims } from './security/authorization-from-claims.ts'
export { systemAuthorization } from './security/system-authorization.ts'
export { jwtOptionsFromEnv } from './security/jwt-options-from-env.ts'
export { parseBearerHeader, MAX_TOKEN_LENGTH } from './security/bearer.ts'
export {
  checkCallbackUrl,
  resolveCallbackHost,
  isPublicAddress,
  parseAllowedHosts,
  type CallbackUrlPolicy,
  type ResolveHost,
} from './security/callback-url.ts'
export {
  createJwtAuthenticator,
  ASYMMETRIC_ALGORITHMS,
  type JwtAuthenticatorOptions,
} from './security/jwt-authenticator.ts'
export {
  createJwtIssuer,
  generateSecret,
  type TokenIssuer,
  type IssuedToken,
  type JwtIssuerOptions,
} from './security/jwt-issuer.ts'
export {
  unauthenticated,
  UNAUTHENTICATED_REASONS,
  type UnauthenticatedReason,
} from './security/unauthenticated.ts'

// Errors
export {
  ActionError,
  isActionError,
  toActionError,
  type ActionErrorOptions,
  type ValidationIssue,
} from './errors/action-error.ts'
export {
  ERROR_CODES,
  isKnownErrorCode,
  type ErrorCode,
  type ErrorCodeInfo,
} from './errors/error-codes.ts'
export { toProblem, problemType, type Problem, type ProblemOptions } from './errors/problem.ts'
export {
  httpStatusOf,
  websocketCloseCodeOf,
  exitCodeOf,
  isRetryable,
} from './errors/transport-mappings.ts'
export type { AuthChallenge } from './security/auth-challenge.ts'
export {
  createDefinitionError,
  isDefinitionError,
  type DefinitionError,
  type DefinitionErrorFactory,
} from './errors/definition-error.ts'
export { definitionErrors, type DefinitionErrorCode } from './errors/definition-errors.ts'
