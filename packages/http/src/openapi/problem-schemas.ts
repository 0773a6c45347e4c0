/** The error body every operation documents; mirrors core's `Problem`. */
export const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details with a stable error code',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', description: 'urn:servey:error:<code>' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'Stable error code, see the errors reference' },
    requestId: { type: 'string' },
    issues: {
      type: 'array',
      description: 'For INVALID_PARAMS: one entry per failing location',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: {
          path: { type: 'string', description: 'JSON Pointer into the params' },
          message: { type: 'string' },
          keyword: { type: 'string' },
        },
      },
    },
  },
} as const

const problemContent = {
  'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
}

export const ERROR_RESPONSES = {
  BadRequest: {
    description:
      'Invalid params (INVALID_PARAMS) or a malformed request (MALFORMED_JSON, BAD_REQUEST)',
    content: problemContent,
  },
  Unauthenticated: {
    description:
      'No, an invalid or an expired bearer token (UNAUTHENTICATED; data.reason says which)',
    content: problemContent,
  },
  Forbidden: {
    description: 'The token lacks a required scope or the access rule said no (FORBIDDEN)',
    content: problemContent,
  },
  NotFound: { description: 'No such route (NOT_FOUND)', content: problemContent },
  PayloadTooLarge: {
    description: 'The body is over the size limit (PAYLOAD_TOO_LARGE)',
    content: problemContent,
  },
  UnsupportedMediaType: {
    description: 'The body is not JSON (UNSUPPORTED_MEDIA_TYPE)',
    content: problemContent,
  },
  RequestTimeout: {
    description:
      'The request, its headers or its body, did not arrive in time (REQUEST_TIMEOUT); the connection is closed',
    content: problemContent,
  },
  UriTooLong: {
    description: 'The query string is over the limit, 16 KiB by default (URI_TOO_LONG)',
    content: problemContent,
  },
  HeadersTooLarge: {
    description: 'The request headers are over the limit (REQUEST_HEADER_FIELDS_TOO_LARGE)',
    content: problemContent,
  },
  Unavailable: {
    description:
      'The server is shedding load, shutting down, or a dependency is down (UNAVAILABLE); try again later',
    headers: {
      'Retry-After': {
        description: 'Seconds to wait before retrying, when the server knows',
        schema: { type: 'integer', minimum: 0 },
      },
    },
    content: problemContent,
  },
  InternalError: {
    description: 'Unexpected error (INTERNAL); the body carries a requestId for the logs',
    content: problemContent,
  },
  Timeout: { description: 'The action ran past its timeout (TIMEOUT)', content: problemContent },
} as const
