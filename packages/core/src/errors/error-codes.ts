/**
 * The runtime error codes every transport understands, one row per code with its view on each
 * transport. A code is part of the public contract: clients branch on it, so a code is never
 * renamed or reused for another meaning. docs/reference/errors.md shows this table column by
 * column, and a test keeps the two in step.
 *
 * - `status`: the HTTP status.
 * - `wsClose`: the websocket close code (RFC 6455 §7.4) when the error ends a connection:
 *   1008 policy violation for who-may-do-what refusals, 1007/1003 for data the server cannot
 *   read, 1009 for too big, 1011 for a server-side failure, 1013 "try again later" for a
 *   temporary condition a client should reconnect after, 1000 for a cancellation the caller
 *   asked for.
 * - `exitCode`: the exit code of a command-line run: 2 for input the caller can fix, 1 for a
 *   failure it cannot, 130 (interrupted, as a shell reports SIGINT) for a cancelled call.
 * - `retryable`: whether a job runner tries again.
 * - `expose`: whether the message written by the thrower is safe to show to a client; when it
 *   is false the client sees only the title.
 */
export const ERROR_CODES = {
  BAD_REQUEST: row(400, 'Bad Request', 1007, 2, { expose: true, retryable: false }),
  INVALID_PARAMS: row(400, 'Invalid Parameters', 1007, 2, { expose: true, retryable: false }),
  MALFORMED_JSON: row(400, 'Malformed JSON', 1007, 2, { expose: true, retryable: false }),
  UNAUTHENTICATED: row(401, 'Unauthenticated', 1008, 2, { expose: true, retryable: false }),
  FORBIDDEN: row(403, 'Forbidden', 1008, 2, { expose: true, retryable: false }),
  NOT_FOUND: row(404, 'Not Found', 1008, 2, { expose: true, retryable: false }),
  UNKNOWN_ACTION: row(404, 'Unknown Action', 1008, 2, { expose: true, retryable: false }),
  METHOD_NOT_ALLOWED: row(405, 'Method Not Allowed', 1008, 2, { expose: true, retryable: false }),
  REQUEST_TIMEOUT: row(408, 'Request Timeout', 1013, 1, { expose: true, retryable: true }),
  CONFLICT: row(409, 'Conflict', 1008, 2, { expose: true, retryable: false }),
  PRECONDITION_FAILED: row(412, 'Precondition Failed', 1008, 2, {
    expose: true,
    retryable: false,
  }),
  PAYLOAD_TOO_LARGE: row(413, 'Payload Too Large', 1009, 2, { expose: true, retryable: false }),
  JOB_PAYLOAD_TOO_LARGE: row(413, 'Job Payload Too Large', 1009, 2, {
    expose: true,
    retryable: false,
  }),
  URI_TOO_LONG: row(414, 'URI Too Long', 1009, 2, { expose: true, retryable: false }),
  UNSUPPORTED_MEDIA_TYPE: row(415, 'Unsupported Media Type', 1003, 2, {
    expose: true,
    retryable: false,
  }),
  ASYNC_NOT_SUPPORTED: row(400, 'Background Calls Not Supported', 1008, 2, {
    expose: true,
    retryable: false,
  }),
  IDEMPOTENCY_KEY_REUSED: row(422, 'Idempotency Key Reused', 1008, 2, {
    expose: true,
    retryable: false,
  }),
  TOO_MANY_REQUESTS: row(429, 'Too Many Requests', 1013, 2, { expose: true, retryable: true }),
  REQUEST_HEADER_FIELDS_TOO_LARGE: row(431, 'Request Header Fields Too Large', 1009, 2, {
    expose: true,
    retryable: false,
  }),
  CANCELLED: row(499, 'Cancelled', 1000, 130, { expose: true, retryable: false }),
  INTERNAL: row(500, 'Internal Server Error', 1011, 1, { expose: false, retryable: true }),
  INVALID_RESULT: row(500, 'Invalid Result', 1011, 1, { expose: false, retryable: false }),
  NOT_IMPLEMENTED: row(501, 'Not Implemented', 1011, 1, { expose: true, retryable: false }),
  UNAVAILABLE: row(503, 'Service Unavailable', 1013, 1, { expose: true, retryable: true }),
  TIMEOUT: row(504, 'Timeout', 1013, 1, { expose: true, retryable: true }),
  UNKNOWN_CHANNEL: row(404, 'Unknown Channel', 1008, 2, { expose: true, retryable: false }),
  INVALID_EVENT: row(500, 'Invalid Event', 1011, 1, { expose: false, retryable: false }),
  UNDECLARED_CHANNEL: row(500, 'Undeclared Channel', 1011, 1, {
    expose: false,
    retryable: false,
  }),
  SLOW_CONSUMER: row(503, 'Slow Consumer', 1013, 1, { expose: true, retryable: true }),
} as const satisfies Record<string, ErrorCodeInfo>

/** One row of the transport table. */
export interface ErrorCodeInfo {
  /** HTTP status. */
  readonly status: number
  /** The problem's `title`; never changes for a code. */
  readonly title: string
  /** Websocket close code (RFC 6455 §7.4.1 and the IANA registry). */
  readonly wsClose: number
  /** Exit code of a command-line run. */
  readonly exitCode: number
  readonly expose: boolean
  readonly retryable: boolean
}

function row<
  const TStatus extends number,
  const TClose extends number,
  const TExit extends number,
  const TFlags extends { expose: boolean; retryable: boolean },
>(status: TStatus, title: string, wsClose: TClose, exitCode: TExit, flags: TFlags) {
  return { status, title, wsClose, exitCode, ...flags }
}

export type ErrorCode = keyof typeof ERROR_CODES

export function isKnownErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code)
}
