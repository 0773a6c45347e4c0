/**
 * @module @servey/aws: Servey actions as AWS Lambda functions. The handler answers every event
 * shape a Servey function receives; `@servey/aws/sls` generates the serverless.yml that wires
 * the events to it (kept apart so a function bundle carries none of the generator).
 */
export {
  createLambdaHandler,
  type LambdaHandler,
  type LambdaHandlerOptions,
} from './runtime/create-lambda-handler.ts'
export type { FetchHandler, FetchRoutes } from './runtime/fetch-route.ts'
export type { ApiGatewayResult } from './runtime/api-gateway-handler.ts'
export type { LambdaContext } from './runtime/lambda-context.ts'
export type { DirectInvocation } from './runtime/direct-invocation.ts'
export type { ScheduleInput } from './runtime/event-kind.ts'
export { LambdaInvocationError } from './runtime/invocation-error.ts'
export { createLambdaLogger } from './runtime/lambda-logger.ts'
export { createKmsAuthenticator, type KmsAuthenticatorOptions } from './kms/kms-authenticator.ts'
export { createKmsTokenIssuer, type KmsTokenIssuerOptions } from './kms/kms-token-issuer.ts'
export {
  createSqsJobRunner,
  type SqsJobRunner,
  type SqsJobRunnerOptions,
} from './sqs/sqs-job-runner.ts'
export type { JobQueueSettings } from './sqs/job-queue-settings.ts'
export type { SqsBatchResponse, SqsJobTrigger, SqsRecord } from './sqs/consume-sqs.ts'
