import { ActionError, ERROR_CODES } from '@servey/core/adapter'
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

// The first code of core's table for each status (`FORBIDDEN` for 403, `TOO_MANY_REQUESTS`
// for 429...), so a plugin's 403 is not sent as a 403 that says BAD_REQUEST.
const CODE_BY_STATUS: ReadonlyMap<number, string> = new Map(
  Object.entries(ERROR_CODES)
    .reverse()
    .map(([code, row]) => [row.status, code]),
)

export function fromFastifyError(error: FastifyError): ActionError {
  const known = error.code === undefined ? undefined : FASTIFY_CODES[error.code]
  if (known !== undefined)
    return new ActionError(known.code, known.detail ?? error.message, { cause: error })
  const status = error.statusCode
  if (status !== undefined && status >= 400 && status < 500) {
    // A client error raised by Fastify or another plugin: its message is meant for the client.
    return new ActionError(CODE_BY_STATUS.get(status) ?? 'BAD_REQUEST', error.message, {
      status,
      cause: error,
    })
  }
  return new ActionError('INTERNAL', undefined, { cause: error, expose: false })
}
