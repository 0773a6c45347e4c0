import { ActionError } from '@servey/core/adapter'
import type { FastifyError } from 'fastify'

/**
 * Fastify's own request errors (body parsing, limits, URLs) in Servey's codes, so a client
 * sees one error vocabulary whichever layer refused the request.
 */
const FASTIFY_CODES: Readonly<Record<string, { code: string; detail?: string }>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'MALFORMED_JSON',
    detail: 'The request body is not valid JSON',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'MALFORMED_JSON',
    detail: "The request body is empty but its content-type is 'application/json'",
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail: 'Send a JSON body with content-type application/json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'BAD_REQUEST' },
  FST_ERR_BAD_URL: { code: 'BAD_REQUEST', detail: 'The URL is not valid' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'BAD_REQUEST', detail: 'A path parameter is too long' },
}

const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
}

export function fromFastifyError(error: FastifyError): ActionError {
  const known = error.code === undefined ? undefined : FASTIFY_CODES[error.code]
  if (known !== undefined)
    return new ActionError(known.code, known.detail ?? error.message, { cause: error })
  const status = error.statusCode
  if (status !== undefined && status >= 400 && status < 500) {
    // A client error raised by Fastify or another plugin: its message is meant for the client.
    return new ActionError(CODE_BY_STATUS[status] ?? 'BAD_REQUEST', error.message, {
      status,
      cause: error,
    })
  }
  return new ActionError('INTERNAL', undefined, { cause: error, expose: false })
}
