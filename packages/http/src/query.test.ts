import { describe, expect, it } from 'vitest'
import { parseQuery, writeQuery } from './query.ts'

describe('parseQuery', () => {
  it('reads flat pairs, repeated keys as arrays, and a key without a value as empty', () => {
    expect(parseQuery('name=World&tag=a&tag=b&tag=c&flag')).toEqual({
      name: 'World',
      tag: ['a', 'b', 'c'],
      flag: '',
    })
    expect(parseQuery('')).toEqual({})
    expect(parseQuery(undefined)).toEqual({})
    expect(parseQuery('&&a=1&')).toEqual({ a: '1' })
  })

  it('decodes percent-encoding and + as a space, keeping strings exactly as sent', () => {
    expect(parseQuery('name=J%C3%BCrgen+M&v=1.50&eq=a%3Db')).toEqual({
      name: 'Jürgen M',
      v: '1.50',
      eq: 'a=b',
    })
  })

  it('refuses a value or key that does not percent-decode with BAD_REQUEST', () => {
    for (const query of ['name=%FF%FE', 'name=%', 'name=%E0%A4%A', '%ZZ=1', 'item[a]=%FF']) {
      expect(() => parseQuery(query), query).toThrow(
        expect.objectContaining({ code: 'BAD_REQUEST', status: 400 }),
      )
    }
  })

  it('reads nested keys with brackets or dots', () => {
    expect(parseQuery('item[name]=pen&item[qty]=2')).toEqual({ item: { name: 'pen', qty: '2' } })
    expect(parseQuery('item.name=pen&item.qty=2')).toEqual({ item: { name: 'pen', qty: '2' } })
  })

  it('keeps __proto__ an own property, never the prototype', () => {
    const params = parseQuery('__proto__=x&a=1')
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype)
    expect(Object.hasOwn(params, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>)['x']).toBeUndefined()
  })

  it('round-trips what writeQuery writes', () => {
    const params = { name: 'a b&c', tags: ['x', 'y'], item: { name: 'pen' } }
    expect(parseQuery(writeQuery(params))).toEqual(params)
  })
})
