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
  InternalError: {
    description: 'Unexpected error (INTERNAL); the body carries a requestId for the logs',
    content: problemContent,
  },
  Timeout: { description: 'The action ran past its timeout (TIMEOUT)', content: problemContent },
} as const
