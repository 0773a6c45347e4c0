import type { AuthChallenge } from '../security/auth-challenge.ts'
import { ERROR_CODES, isKnownErrorCode, type ErrorCode } from './error-codes.ts'

/** One failing location in validated input or output. `path` is a JSON Pointer (`/items/0/qty`). */
export interface ValidationIssue {
  readonly path: string
  readonly message: string
  readonly keyword?: string
}

export interface ActionErrorOptions {
  /** Required for a code outside the table; overrides the table otherwise. */
  readonly status?: number
  readonly cause?: unknown
  readonly issues?: readonly ValidationIssue[]
  /** Extra structured data for clients; shown only when the error is exposed. */
  readonly data?: unknown
  /** Whether `message` may be shown to clients. Defaults to the code's table entry. */
  readonly expose?: boolean
  /** Whether a job runner should try again. Defaults to the code's table entry, else 5xx. */
  readonly retryable?: boolean
  /** How the caller may authenticate or gain access; sent as `WWW-Authenticate` over HTTP. */
  readonly challenge?: AuthChallenge
}

const BRAND = Symbol.for('@servey/core/ActionError')

/**
 * The one runtime error class. Throw it from a handler to answer with a stable code:
 * `throw new ActionError('NOT_FOUND', 'No such order')`. Anything else a handler throws is
 * masked as `INTERNAL`, so internals never reach a client.
 */
export class ActionError extends Error {
  readonly code: ErrorCode | (string & {})
  readonly status: number
  readonly title: string
  readonly expose: boolean
  readonly retryable: boolean
  readonly issues: readonly ValidationIssue[] | undefined
  readonly data: unknown
  readonly challenge: AuthChallenge | undefined
  declare readonly [BRAND]: true

  constructor(code: ErrorCode | (string & {}), message?: string, options: ActionErrorOptions = {}) {
    const known = isKnownErrorCode(code) ? ERROR_CODES[code] : undefined
    super(
      message ?? known?.title ?? code,
      options.cause === undefined ? {} : { cause: options.cause },
    )
    this.name = 'ActionError'
    this.code = code
    this.status = options.status ?? known?.status ?? 500
    this.title = known?.title ?? code
    this.expose = options.expose ?? known?.expose ?? this.status < 500
    this.retryable = options.retryable ?? known?.retryable ?? this.status >= 500
    this.issues = options.issues
    this.data = options.data
    this.challenge = options.challenge
    Object.defineProperty(this, BRAND, { value: true })
  }
}

/** Brand check that works across duplicate installs of @servey/core. */
export function isActionError(value: unknown): value is ActionError {
  return (
    typeof value === 'object' && value !== null && (value as { [BRAND]?: true })[BRAND] === true
  )
}

/** Normalise anything thrown into an ActionError; unknown errors become a masked `INTERNAL`. */
export function toActionError(value: unknown): ActionError {
  if (isActionError(value)) return value
  return new ActionError('INTERNAL', undefined, { cause: value, expose: false })
}
