/**
 * The runtime error codes every transport understands. A code is part of the public contract:
 * clients branch on it, so a code is never renamed or reused for another meaning.
 *
 * `status` is the HTTP status; other transports map from the same table (see
 * `transport-mappings.ts`). `expose` says whether the message written by the thrower is safe to
 * show to a client; when it is false the client sees only the title.
 */
export const ERROR_CODES = {
  BAD_REQUEST: { status: 400, title: 'Bad Request', expose: true, retryable: false },
  INVALID_PARAMS: { status: 400, title: 'Invalid Parameters', expose: true, retryable: false },
  MALFORMED_JSON: { status: 400, title: 'Malformed JSON', expose: true, retryable: false },
  UNAUTHENTICATED: { status: 401, title: 'Unauthenticated', expose: true, retryable: false },
  FORBIDDEN: { status: 403, title: 'Forbidden', expose: true, retryable: false },
  NOT_FOUND: { status: 404, title: 'Not Found', expose: true, retryable: false },
  UNKNOWN_ACTION: { status: 404, title: 'Unknown Action', expose: true, retryable: false },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method Not Allowed', expose: true, retryable: false },
  CONFLICT: { status: 409, title: 'Conflict', expose: true, retryable: false },
  PRECONDITION_FAILED: {
    status: 412,
    title: 'Precondition Failed',
    expose: true,
    retryable: false,
  },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload Too Large', expose: true, retryable: false },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: 'Unsupported Media Type',
    expose: true,
    retryable: false,
  },
  TOO_MANY_REQUESTS: { status: 429, title: 'Too Many Requests', expose: true, retryable: true },
  CANCELLED: { status: 499, title: 'Cancelled', expose: true, retryable: false },
  INTERNAL: { status: 500, title: 'Internal Server Error', expose: false, retryable: true },
  INVALID_RESULT: { status: 500, title: 'Invalid Result', expose: false, retryable: false },
  NOT_IMPLEMENTED: { status: 501, title: 'Not Implemented', expose: true, retryable: false },
  UNAVAILABLE: { status: 503, title: 'Service Unavailable', expose: true, retryable: true },
  TIMEOUT: { status: 504, title: 'Timeout', expose: true, retryable: true },
} as const satisfies Record<string, ErrorCodeInfo>

export interface ErrorCodeInfo {
  readonly status: number
  readonly title: string
  readonly expose: boolean
  readonly retryable: boolean
}

export type ErrorCode = keyof typeof ERROR_CODES

export function isKnownErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code)
}
