import type { ActionError, ValidationIssue } from './action-error.ts'

/** RFC 9457 problem details, as every HTTP-like transport sends them. */
export interface Problem {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail: string
  readonly code: string
  readonly requestId?: string
  readonly issues?: readonly ValidationIssue[]
  readonly data?: unknown
  readonly stack?: string
}

export interface ProblemOptions {
  readonly requestId?: string
  /** Dev mode: show masked messages and the stack of the original error. */
  readonly dev?: boolean
}

/** The problem `type` URI: stable per code, and documented in docs/reference/errors.md. */
export function problemType(code: string): string {
  return `urn:servey:error:${code.toLowerCase().replaceAll('_', '-')}`
}

/** The one wire shape of an error; masked errors show only their title in `detail`. */
export function toProblem(error: ActionError, options: ProblemOptions = {}): Problem {
  const showMessage = error.expose || options.dev === true
  // In dev a masked error shows what really went wrong: the message of its cause.
  const detail = error.expose
    ? error.message
    : options.dev === true
      ? error.cause instanceof Error
        ? error.cause.message
        : error.message
      : 'An unexpected error occurred.'
  const problem: {
    -readonly [K in keyof Problem]: Problem[K]
  } = {
    type: problemType(error.code),
    title: error.title,
    status: error.status,
    detail,
    code: error.code,
  }
  if (options.requestId !== undefined) problem.requestId = options.requestId
  // Issues of a masked error (a result that broke its schema) describe internals, not input.
  if (showMessage && error.issues !== undefined) problem.issues = error.issues
  if (showMessage && error.data !== undefined) problem.data = error.data
  // A stack helps with unexpected failures; on a 401 or a 400 it is noise pointing into core.
  if (options.dev === true && error.status >= 500) {
    const origin = error.cause instanceof Error ? error.cause : error
    if (origin.stack !== undefined) problem.stack = origin.stack
  }
  return problem
}
