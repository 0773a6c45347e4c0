import { toProblem, type ActionError } from '@servey/core/adapter'

/**
 * How a failed direct or scheduled invocation reaches its caller. Lambda reports a thrown
 * error as `{ errorType: error.name, errorMessage: error.message, trace }` with a
 * `FunctionError` flag, so the name is the stable code and the message the problem's detail
 * (masked for INTERNAL like an HTTP 500). The stack holds no frames: the caller must not see
 * internals; the full error is logged with the request id.
 */
export class LambdaInvocationError extends Error {
  readonly code: string
  readonly status: number
  readonly requestId: string | undefined

  constructor(error: ActionError, requestId: string | undefined) {
    const problem = toProblem(error, requestId === undefined ? {} : { requestId })
    super(problem.detail ?? problem.title)
    this.name = error.code
    this.code = error.code
    this.status = problem.status
    this.requestId = requestId
    this.stack = `${this.name}: ${this.message}`
  }
}
