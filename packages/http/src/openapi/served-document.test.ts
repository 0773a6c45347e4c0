import { describe, expect, it } from 'vitest'
import { RELATIVE_SERVERS } from './document.ts'
import { createServedOpenApi, serversForRequest } from './served-document.ts'

describe('serversForRequest', () => {
  it('keeps the configured servers, whatever the request', () => {
    const configured = [{ url: 'https://api.example.org' }]
    expect(serversForRequest(configured, { protocol: 'http', host: 'localhost:8000' })).toBe(
      configured,
    )
  })

  it('gives the origin the client used, lower-cased, when none are configured', () => {
    for (const configured of [undefined, []]) {
      expect(
        serversForRequest(configured, { protocol: 'https', host: 'API.Example.org:8443' }),
      ).toEqual([{ url: 'https://api.example.org:8443', description: 'This server' }])
    }
    expect(serversForRequest(undefined, { protocol: 'http', host: '[::1]:8000' })).toEqual([
      { url: 'http://[::1]:8000', description: 'This server' },
    ])
  })

  it('keeps the relative server for a missing or forged Host, or another protocol', () => {
    for (const request of [
      { protocol: 'http', host: undefined },
      { protocol: 'http', host: 'evil.example/path' },
      { protocol: 'http', host: 'a b' },
      { protocol: 'http', host: 'x'.repeat(300) },
      { protocol: 'ftp', host: 'example.org' },
      { protocol: 'wss', host: 'example.org' },
    ]) {
      expect(serversForRequest(undefined, request), JSON.stringify(request)).toBe(RELATIVE_SERVERS)
    }
  })
})

describe('createServedOpenApi', () => {
  it("writes the document with the request's servers", () => {
    const served = createServedOpenApi({ openapi: '3.1.0' }, undefined)
    expect(JSON.parse(served({ protocol: 'http', host: 'localhost:8000' }))).toEqual({
      openapi: '3.1.0',
      servers: [{ url: 'http://localhost:8000', description: 'This server' }],
    })
    const fixed = createServedOpenApi({ openapi: '3.1.0' }, [{ url: '/api' }])
    expect(JSON.parse(fixed({ protocol: 'http', host: 'localhost:8000' })).servers).toEqual([
      { url: '/api' },
    ])
  })

  it('writes the text once per origin, and keeps 16 origins at most', () => {
    let written = 0
    // A getter the spread reads each time the text is written, and only then.
    const document = {
      get openapi() {
        written += 1
        return '3.1.0'
      },
    }
    const served = createServedOpenApi(document, undefined)
    const at = (index: number) => served({ protocol: 'http', host: `h${index}.example` })
    expect(at(0)).toBe(at(0))
    expect(written).toBe(1)
    for (let index = 1; index < 16; index++) at(index)
    expect(written).toBe(16)
    at(0)
    expect(written).toBe(16)
    // A 17th origin empties the memo: forged Host headers cannot grow it.
    at(16)
    expect(written).toBe(17)
    at(0)
    expect(written).toBe(18)
  })
})
