/** The part of Lambda's context object Servey reads (a subset of `aws-lambda`'s Context). */
export interface LambdaContext {
  readonly awsRequestId?: string
  getRemainingTimeInMillis?(): number
}
