import { describe, expect, it } from 'vitest'
import { clientErrorResponse } from './client-error.ts'

describe('clientErrorResponse', () => {
  it.each([
    ['HPE_HEADER_OVERFLOW', 431, 'REQUEST_HEADER_FIELDS_TOO_LARGE'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'REQUEST_TIMEOUT'],
    ['HPE_INVALID_METHOD', 400, 'BAD_REQUEST'],
    [undefined, 400, 'BAD_REQUEST'],
  ])('answers %s with %i %s as problem+json, closing the connection', (code, status, problem) => {
    const response = clientErrorResponse(code === undefined ? {} : { code })
    expect(response.status).toBe(status)
    expect(response.headers).toMatchObject({
      'content-type': 'application/problem+json; charset=utf-8',
      'content-length': String(Buffer.byteLength(response.body ?? '')),
      connection: 'close',
    })
    const body = JSON.parse(response.body ?? '') as Record<string, unknown>
    expect(body).toMatchObject({ status, code: problem })
    expect(body['requestId']).toMatch(/^[0-9a-f-]{36}$/)
  })
})
