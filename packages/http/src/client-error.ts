import { randomUUID } from 'node:crypto'
import { ActionError } from '@servey/core/adapter'
import type { HttpResponse } from './http-message.ts'
import { problemResponse } from './problem-response.ts'

/**
 * Node's error codes for a request its HTTP parser gave up on, before any route could run.
 * Anything else it reports (`HPE_INVALID_METHOD`, `HPE_INVALID_HEADER_TOKEN`, a bad chunk
 * size...) is a malformed request: 400.
 */
const PARSER_ERRORS: Readonly<Record<string, { code: string; detail: string }>> = {
  HPE_HEADER_OVERFLOW: {
    code: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
    detail: 'The request headers are larger than the server accepts',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    code: 'REQUEST_TIMEOUT',
    detail: 'The request was not received in time',
  },
}

/**
 * The answer to a request the server could not parse or did not receive in time (Node's
 * `clientError`): 431 for headers over the limit, 408 for a timeout, else 400, each as
 * problem+json with a fresh request id (there is no request to take one from) and
 * `connection: close`, since the connection cannot be read any further. No body when the
 * request was a HEAD.
 */
export function clientErrorResponse(error: {
  readonly code?: string | undefined
  readonly rawPacket?: Uint8Array | undefined
}): HttpResponse {
  const known = error.code === undefined ? undefined : PARSER_ERRORS[error.code]
  const problem =
    known === undefined
      ? new ActionError('BAD_REQUEST', 'The request is not valid HTTP')
      : new ActionError(known.code, known.detail)
  const response = problemResponse(problem, { requestId: randomUUID() })
  const body = response.body ?? ''
  return {
    status: response.status,
    headers: {
      ...response.headers,
      'content-length': String(Buffer.byteLength(body)),
      connection: 'close',
    },
    // The answer to a HEAD has no body (RFC 9110 §9.3.2), even to one that could not be
    // parsed: a client reads none, so the body's bytes would be junk after the answer.
    body: isHeadRequest(error.rawPacket) ? undefined : body,
  }
}

const HEAD = Buffer.from('HEAD ')

/**
 * Whether the bytes Node's parser gave up on start a HEAD request. Node hands over the chunk
 * it was parsing (`rawPacket`), which starts with the request line unless that line or the
 * headers spanned several reads; then the method cannot be known, and the body is sent.
 */
function isHeadRequest(rawPacket: Uint8Array | undefined): boolean {
  return (
    rawPacket !== undefined &&
    rawPacket.length >= HEAD.length &&
    Buffer.from(rawPacket.buffer, rawPacket.byteOffset, HEAD.length).equals(HEAD)
  )
}
