import { describe, expect, it } from 'vitest'
import { DEFAULT_BODY_LIMIT, isJsonContentType, readJsonBody } from './json-body.ts'

const refusal = (code: string, status: number, message: string) =>
  expect.objectContaining({ code, status, message })

describe('isJsonContentType', () => {
  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON;charset=UTF-8',
    'application/json ; charset=utf-8',
    'application/vnd.api+json',
    'application/merge-patch+json; profile=x',
    'application/problem+json',
  ])('accepts %s', (type) => {
    expect(isJsonContentType(type)).toBe(true)
  })

  it.each([
    undefined,
    '',
    'text/json',
    'text/plain',
    'application/jsonx',
    'application/json-patch',
    'application/+json',
    'application/x-www-form-urlencoded',
    'xapplication/json',
    'application/vnd.api+json+xml',
  ])('refuses %s', (type) => {
    expect(isJsonContentType(type)).toBe(false)
  })
})

describe('readJsonBody', () => {
  it('parses a JSON body, as text or as UTF-8 bytes', () => {
    expect(readJsonBody('{"name":"Jürgen"}', 'application/json')).toEqual({ name: 'Jürgen' })
    expect(readJsonBody(new TextEncoder().encode('{"n":[1,2]}'), 'application/json')).toEqual({
      n: [1, 2],
    })
    expect(readJsonBody('null', 'application/vnd.api+json')).toBeNull()
  })

  it('keeps a U+FFFD that the client sent, in a Buffer or in a view into a larger buffer', () => {
    const json = '{"name":"J\uFFFDrgen","emoji":"\u{1F600}"}'
    expect(readJsonBody(Buffer.from(json), 'application/json')).toEqual(JSON.parse(json))
    const framed = new TextEncoder().encode(`xx${json}yy`)
    const view = new Uint8Array(framed.buffer, 2, framed.byteLength - 4)
    expect(readJsonBody(view, 'application/json')).toEqual(JSON.parse(json))
  })

  it('reads no body, whatever its type, as no input unless the type promises JSON', () => {
    expect(readJsonBody(undefined, undefined)).toBeUndefined()
    expect(readJsonBody('', 'text/plain')).toBeUndefined()
    expect(readJsonBody(new Uint8Array(0), undefined)).toBeUndefined()
    for (const body of [undefined, '', new Uint8Array(0)]) {
      expect(() => readJsonBody(body, 'application/json; charset=utf-8')).toThrow(
        refusal(
          'MALFORMED_JSON',
          400,
          "The request body is empty but its content-type is 'application/json; charset=utf-8'",
        ),
      )
    }
  })

  it('refuses a body of another media type, or of none, with 415', () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
      expect(() => readJsonBody('{"a":1}', type)).toThrow(
        refusal(
          'UNSUPPORTED_MEDIA_TYPE',
          415,
          'Send a JSON body with content-type application/json',
        ),
      )
    }
  })

  it('refuses a body over the limit in bytes with 413, counting UTF-8 bytes, not characters', () => {
    const tooLarge = refusal('PAYLOAD_TOO_LARGE', 413, 'The request body is over 10 bytes')
    // 10 characters and 10 bytes: at the limit.
    expect(readJsonBody('"abcdefgh"', 'application/json', 10)).toBe('abcdefgh')
    expect(() => readJsonBody('"abcdefghi"', 'application/json', 10)).toThrow(tooLarge)
    // 7 characters but 12 bytes.
    expect(() => readJsonBody('"ééééé"', 'application/json', 10)).toThrow(tooLarge)
    // 6 characters and exactly 10 bytes.
    expect(readJsonBody('"éééé"', 'application/json', 10)).toBe('éééé')
    const bytes = (text: string) => new TextEncoder().encode(text)
    expect(readJsonBody(bytes('"abcdefgh"'), 'application/json', 10)).toBe('abcdefgh')
    expect(() => readJsonBody(bytes('"abcdefghi"'), 'application/json', 10)).toThrow(tooLarge)
  })

  it('defaults the limit to 1 MiB', () => {
    expect(DEFAULT_BODY_LIMIT).toBe(1_048_576)
    const atLimit = `"${'a'.repeat(DEFAULT_BODY_LIMIT - 2)}"`
    expect(readJsonBody(atLimit, 'application/json')).toHaveLength(DEFAULT_BODY_LIMIT - 2)
    expect(() => readJsonBody(`${atLimit} `, 'application/json')).toThrow(
      refusal('PAYLOAD_TOO_LARGE', 413, `The request body is over ${DEFAULT_BODY_LIMIT} bytes`),
    )
  })

  it.each([
    ['text that is not JSON', '{"a":'],
    ['bytes that are not UTF-8', new Uint8Array([0x22, 0xff, 0xfe, 0x22])],
    ['an encoded surrogate, in a Buffer', Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22])],
    [
      'a truncated sequence beside a real U+FFFD',
      Buffer.concat([Buffer.from('"\uFFFD'), Buffer.from([0xc3, 0x22])]),
    ],
    ['a __proto__ key', '{"a":1,"__proto__":{"admin":true}}'],
    ['a constructor.prototype key', '{"constructor":{"prototype":{"admin":true}}}'],
  ])('refuses %s with 400 MALFORMED_JSON, keeping the cause', (_what, body) => {
    let thrown: unknown
    try {
      readJsonBody(body, 'application/json')
    } catch (error) {
      thrown = error
    }
    expect(thrown).toEqual(refusal('MALFORMED_JSON', 400, 'The request body is not valid JSON'))
    expect((thrown as Error).cause).toBeInstanceOf(Error)
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined()
  })
})
