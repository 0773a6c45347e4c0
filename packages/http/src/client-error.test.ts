import { describe, expect, it } from 'vitest'
import { clientErrorResponse } from './client-error.ts'

describe('clientErrorResponse', () => {
  it.each([
    [
      'HPE_HEADER_OVERFLOW',
      431,
      'REQUEST_HEADER_FIELDS_TOO_LARGE',
      'The request headers are larger than the server accepts',
    ],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'REQUEST_TIMEOUT', 'The request was not received in time'],
    ['HPE_INVALID_METHOD', 400, 'BAD_REQUEST', 'The request is not valid HTTP'],
    [undefined, 400, 'BAD_REQUEST', 'The request is not valid HTTP'],
  ])(
    'answers %s with %i %s as problem+json, closing the connection',
    (code, status, problem, detail) => {
      const response = clientErrorResponse(code === undefined ? {} : { code })
      expect(response.status).toBe(status)
      expect(response.headers).toMatchObject({
        'content-type': 'application/problem+json; charset=utf-8',
        'content-length': String(Buffer.byteLength(response.body ?? '')),
        connection: 'close',
      })
      const body = JSON.parse(response.body ?? '') as Record<string, unknown>
      expect(body).toMatchObject({ status, code: problem, detail })
      expect(body['requestId']).toMatch(/^[0-9a-f-]{36}$/)
    },
  )

  it('sends no body to a HEAD, keeping the length of the one a GET would get', () => {
    const head = clientErrorResponse({
      code: 'HPE_HEADER_OVERFLOW',
      rawPacket: Buffer.from('HEAD /actions/x?q=aaaa HTTP/1.1\r\n'),
    })
    const get = clientErrorResponse({
      code: 'HPE_HEADER_OVERFLOW',
      rawPacket: Buffer.from('GET /actions/x?q=aaaa HTTP/1.1\r\n'),
    })
    expect(head.status).toBe(431)
    expect(head.body).toBeUndefined()
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(get.body ?? '')))
    expect(get.body).toContain('REQUEST_HEADER_FIELDS_TOO_LARGE')
    // A packet too short to tell, or another method that starts alike, keeps the body.
    expect(clientErrorResponse({ rawPacket: Buffer.from('HEA') }).body).toBeDefined()
    expect(clientErrorResponse({ rawPacket: Buffer.from('HEADER / HTTP/1.1') }).body).toBeDefined()
  })

  it('reads only the packet it is given, and a packet of exactly "HEAD " is a HEAD', () => {
    expect(clientErrorResponse({ rawPacket: Buffer.from('HEAD ') }).body).toBeUndefined()
    // A view of four bytes over memory that goes on with "HEAD /x": what follows the view is
    // not the packet's, so the method cannot be told and the body is sent.
    const memory = Buffer.from('HEAD /x HTTP/1.1\r\n')
    expect(clientErrorResponse({ rawPacket: memory.subarray(0, 4) }).body).toBeDefined()
  })
})
