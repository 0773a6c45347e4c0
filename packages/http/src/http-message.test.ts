import { describe, expect, it } from 'vitest'
import { headerOf, lowerCaseHeaders } from './http-message.ts'

describe('lowerCaseHeaders', () => {
  it('names every header in lower case, joining two spellings of one name as a repeat', () => {
    const headers = lowerCaseHeaders({
      'Content-Type': 'application/json',
      'X-Tag': 'a',
      'x-tag': ['b', 'c'],
      'X-TAG': 'd',
      Accept: ['text/html'],
    })
    expect({ ...headers }).toEqual({
      'content-type': 'application/json',
      'x-tag': ['a', 'b', 'c', 'd'],
      accept: ['text/html'],
    })
  })

  it('keeps a header named __proto__ as a header, never as the prototype', () => {
    const headers = lowerCaseHeaders(JSON.parse('{"__proto__":["x"],"Host":"h"}') as never)
    expect(Object.getPrototypeOf(headers)).toBeNull()
    expect([headerOf(headers, '__proto__'), headerOf(headers, 'host')]).toEqual(['x', 'h'])
  })
})

describe('headerOf', () => {
  it('reads a header by its lower-case name, the first of a repeated one', () => {
    const headers = { prefer: 'respond-async', 'x-tag': ['a', 'b'] }
    expect([
      headerOf(headers, 'prefer'),
      headerOf(headers, 'x-tag'),
      headerOf(headers, 'authorization'),
    ]).toEqual(['respond-async', 'a', undefined])
  })
})
