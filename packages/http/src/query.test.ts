import { action, createInvoker, createRegistry, Type, WEB_GET } from '@servey/core'
import qs from 'qs'
import { describe, expect, it } from 'vitest'
import { createHttpHandler } from './http-handler.ts'
import {
  encodedQueryLength,
  parseQuery,
  queryFromDecoded,
  queryParamsOf,
  rawQueryOf,
  writeQuery,
} from './query.ts'
import type { DecodedQuery } from './query.ts'

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
        expect.objectContaining({
          code: 'BAD_REQUEST',
          status: 400,
          message: 'The query string has an invalid percent-encoding',
        }),
      )
    }
  })

  it('reads nested keys with brackets or dots', () => {
    expect(parseQuery('item[name]=pen&item[qty]=2')).toEqual({ item: { name: 'pen', qty: '2' } })
    expect(parseQuery('item.name=pen&item.qty=2')).toEqual({ item: { name: 'pen', qty: '2' } })
  })

  // The flat loop reads each pair in one pass: what it marks in the key must not leak into
  // the value, and the reverse.
  it('tells key from value within a pair: the first = splits, marks count on their side', () => {
    expect(parseQuery('a=1&a=2')).toEqual({ a: ['1', '2'] })
    expect(parseQuery('eq=a=b&list=[1]&v=x.y')).toEqual({ eq: 'a=b', list: '[1]', v: 'x.y' })
    expect(parseQuery('first+name=Ann&plain=a%20b')).toEqual({ 'first name': 'Ann', plain: 'a b' })
    expect(parseQuery('a=%41&b=+')).toEqual({ a: 'A', b: ' ' })
    // A key that nests only once decoded is still nested.
    expect(parseQuery('item%5Bname%5D=pen&item%2Eqty=2')).toEqual({
      item: { name: 'pen', qty: '2' },
    })
    expect(parseQuery('flag&x=')).toEqual({ flag: '', x: '' })
  })

  it('keeps __proto__ an own property, never the prototype', () => {
    const params = parseQuery('__proto__=x&a=1')
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype)
    expect(Object.hasOwn(params, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>)['x']).toBeUndefined()
    // Visible to the schema's validator like any other key, and repeatable like any other.
    expect(Object.getOwnPropertyDescriptor(params, '__proto__')).toMatchObject({
      value: 'x',
      writable: true,
      enumerable: true,
    })
    expect(Object.keys(params)).toEqual(['__proto__', 'a'])
    expect(
      Object.getOwnPropertyDescriptor(parseQuery('__proto__=x&__proto__=y'), '__proto__'),
    ).toMatchObject({ value: ['x', 'y'] })
  })

  it('gives ordinary properties, which a plugin or handler may delete', () => {
    const params = parseQuery('a=1&b=2')
    expect(Object.getOwnPropertyDescriptor(params, 'a')).toEqual({
      value: '1',
      writable: true,
      enumerable: true,
      configurable: true,
    })
    delete params['a']
    expect(params).toEqual({ b: '2' })
  })

  it('writeQuery repeats the key for arrays and brackets objects, encoding values only', () => {
    expect(writeQuery({ tag: ['a', 'b'], item: { name: 'x y&z' } })).toBe(
      'tag=a&tag=b&item[name]=x%20y%26z',
    )
  })

  it('round-trips what writeQuery writes', () => {
    const params = { name: 'a b&c', tags: ['x', 'y'], item: { name: 'pen' } }
    expect(parseQuery(writeQuery(params))).toEqual(params)
  })
})

describe('queryFromDecoded', () => {
  it('gives the params parseQuery gives for the same query, without decoding again', () => {
    const raw = 'value=1&tags=a%20b&tags=c%2Bd&tags=e+f&tags=%25&tags=%2541'
    const decoded = { value: ['1'], tags: ['a b', 'c+d', 'e f', '%', '%41'] }
    expect(queryFromDecoded(decoded)).toEqual(parseQuery(raw))
    expect(queryFromDecoded({ one: ['x'] })).toEqual({ one: 'x' })
    expect(queryFromDecoded(undefined)).toEqual({})
    expect(queryFromDecoded({})).toEqual({})
  })

  it('reads nested keys and keeps __proto__ an own property, as parseQuery does', () => {
    expect(queryFromDecoded({ 'item[name]': ['a&b'], 'item.qty': ['2'] })).toEqual({
      item: { name: 'a&b', qty: '2' },
    })
    // One nested key is enough for the whole query to be read as nested.
    expect(queryFromDecoded({ flat: ['1'], 'item[name]': ['pen'] })).toEqual({
      flat: '1',
      item: { name: 'pen' },
    })
    // JSON.parse makes `__proto__` an own key, as an API Gateway event's JSON does.
    const params = queryFromDecoded(JSON.parse('{"__proto__":["x"],"a":["1"]}') as DecodedQuery)
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype)
    expect(Object.hasOwn(params, '__proto__')).toBe(true)
    expect(params['a']).toBe('1')
  })

  it('refuses U+FFFD, what a decoding gateway leaves of bytes that are not UTF-8', () => {
    const queries: DecodedQuery[] = [
      { name: ['\uFFFD\uFFFD'] },
      { ['\uFFFD']: ['1'] },
      { name: ['fine', 'x\uFFFD'] },
    ]
    for (const query of queries) {
      expect(() => queryFromDecoded(query)).toThrow(
        expect.objectContaining({ code: 'BAD_REQUEST', status: 400 }),
      )
    }
  })

  it('writes the decoded query back for a redirect', () => {
    expect(rawQueryOf({ decodedQuery: { next: ['/a b'], n: ['1', '2'] } })).toBe(
      'next=%2Fa%20b&n=1&n=2',
    )
    expect(rawQueryOf({ query: 'a=%20' })).toBe('a=%20')
    expect(rawQueryOf({})).toBe('')
    expect(queryParamsOf({ query: 'a=1', decodedQuery: { b: ['2'] } })).toEqual({ b: '2' })
  })
})

describe('the query string limit', () => {
  it('refuses a query string over the limit with URI_TOO_LONG (414), raw or decoded', () => {
    const long = `q=${'a'.repeat(98)}`
    expect(queryParamsOf({ query: long }, 100)).toEqual({ q: 'a'.repeat(98) })
    expect(() => queryParamsOf({ query: `${long}b` }, 100)).toThrow(
      expect.objectContaining({
        code: 'URI_TOO_LONG',
        status: 414,
        message: 'The query string is over 100 characters',
      }),
    )
    expect(() => queryParamsOf({ decodedQuery: { q: ['a'.repeat(99)] } }, 100)).toThrow(
      expect.objectContaining({ code: 'URI_TOO_LONG' }),
    )
  })

  it('measures a decoded query as its percent-encoded length, without writing it back', () => {
    const queries: DecodedQuery[] = [
      {},
      { a: [] },
      { q: [''] },
      { next: ['/a b'], n: ['1', '2'] },
      { "safe-_.!~*'()": ['AZaz09'] },
      { 'ü é': ['日本', 'x'] },
      { emoji: ['😀 ok', '🎉'] },
      { '&=?#': ['%41+%'] },
    ]
    for (const query of queries) {
      expect(encodedQueryLength(query), JSON.stringify(query)).toBe(
        rawQueryOf({ decodedQuery: query }).length,
      )
    }
    // A lone surrogate counts as the U+FFFD a gateway would put in its place.
    expect(encodedQueryLength({ q: ['\uD800'] })).toBe(encodedQueryLength({ q: ['\uFFFD'] }))
    expect(encodedQueryLength({ q: ['\uDC00x'] })).toBe(encodedQueryLength({ q: ['\uFFFDx'] }))
  })

  // Where the UTF-8 length changes (1, 2, 3 bytes; surrogates paired or lone, next to each
  // other and to their neighbours in the code space), against encodeURIComponent of the text
  // with each lone surrogate as U+FFFD.
  it.each([
    '\u007F',
    '\u0080',
    '\u07FF',
    '\u0800',
    '\uD7FF',
    '\uE000',
    '\uD800\uDC00',
    '\uDBFF\uDFFF',
    '\uDBFF\uDC00',
    '\uD800x',
    'x\uDC00',
    '\uD800\uE000',
    '\uD800\uDFFF',
    '\uDC00\uDC00',
    '\uD800\uD800',
    '\uD7FF\uDC00',
    '\uE000\uDC00',
    '\uDFFF\uDBFF',
  ])('measures %j as encodeURIComponent would write it', (text) => {
    // With the u flag a pair is one code point: only lone halves match.
    const wellFormed = text.replace(/\p{Surrogate}/gu, '\uFFFD')
    const expected = `q=${encodeURIComponent(wellFormed)}`.length
    expect(encodedQueryLength({ q: [text] })).toBe(expected)
  })

  it("counts only the query's own keys", () => {
    const query = Object.assign(Object.create({ inherited: ['y'] }) as DecodedQuery, { q: ['x'] })
    expect(encodedQueryLength(query)).toBe('q=x'.length)
  })

  it('stops measuring a decoded query once it is past the limit', () => {
    const query = { a: ['x'.repeat(50)], b: ['y'.repeat(50)], c: ['z'.repeat(50)] }
    expect(encodedQueryLength(query)).toBe(158)
    expect(encodedQueryLength(query, 60)).toBe(105)
    // At the limit is not past it: the count goes on to the next pair.
    expect(encodedQueryLength(query, 52)).toBe(105)
    expect(() => queryParamsOf({ decodedQuery: query }, 157)).toThrow(
      expect.objectContaining({ code: 'URI_TOO_LONG' }),
    )
    expect(queryParamsOf({ decodedQuery: query }, 158)).toHaveProperty('c')
    // Escapes count as sent: a space is `%20`, three characters.
    expect(() => queryParamsOf({ decodedQuery: { q: [' '.repeat(33)] } }, 100)).toThrow(
      expect.objectContaining({ code: 'URI_TOO_LONG' }),
    )
    expect(queryParamsOf({ decodedQuery: { q: [' '.repeat(32)] } }, 100)).toHaveProperty('q')
  })

  it('defaults to 16 KiB', () => {
    expect(queryParamsOf({ query: `q=${'a'.repeat(16_382)}` })).toHaveProperty('q')
    expect(() => queryParamsOf({ query: `q=${'a'.repeat(16_383)}` })).toThrow(
      expect.objectContaining({ code: 'URI_TOO_LONG' }),
    )
  })
})

// The nested-key limits (QS_OPTIONS), each on its own: past depth or index qs stops expanding,
// and what it leaves is data the params schema judges. Past 1,000 distinct keys, flat or
// nested alike, the query is refused. A repeated key is not limited: flat or beside a nested
// key, it reads whole, bounded by the length.
describe('the nested-key limits', () => {
  const pairs = (count: number, pair: (index: number) => string): string =>
    Array.from({ length: count }, (_, index) => pair(index)).join('&')
  const numbers = (count: number): string[] =>
    Array.from({ length: count }, (_, index) => String(index))

  it('depth: expands 5 levels of brackets or dots, and keeps the rest as one literal key', () => {
    expect(parseQuery('a[b][c][d][e][f]=x')).toEqual({ a: { b: { c: { d: { e: { f: 'x' } } } } } })
    expect(parseQuery('a[b][c][d][e][f][g][h]=x')).toEqual({
      a: { b: { c: { d: { e: { f: { '[g][h]': 'x' } } } } } },
    })
    expect(parseQuery('a.b.c.d.e.f.g=x')).toEqual({
      a: { b: { c: { d: { e: { f: { '[g]': 'x' } } } } } },
    })
    // A trailing [] past the depth stays a literal segment, as qs leaves it.
    expect(parseQuery('a[b][c][d][e][f][]=x')).toEqual({
      a: { b: { c: { d: { e: { f: { '[]': 'x' } } } } } },
    })
  })

  describe('keys: 1,000 distinct keys are read, one more is BAD_REQUEST, however spelt', () => {
    const tooMany = expect.objectContaining({
      code: 'BAD_REQUEST',
      status: 400,
      message: 'The query string has over 1000 distinct keys',
    })
    const spellings = {
      flat: (index: number) => `k${index}`,
      brackets: (index: number) => `n[k${index}]`,
      dots: (index: number) => `n.k${index}`,
      // The flat loop reads 999 keys, then hands the query over to the nested reader.
      'flat, then one nested key': (index: number, count: number) =>
        index === count - 1 ? 'n[x]' : `k${index}`,
    }
    /** `count` distinct keys, each sent twice (a repeat never counts), raw and decoded. */
    const keyed = (count: number, key: (index: number, count: number) => string) => {
      const keys = Array.from({ length: count }, (_, index) => key(index, count))
      return {
        raw: [...keys, ...keys].map((each) => `${each}=1`).join('&'),
        decoded: Object.fromEntries(keys.map((each) => [each, ['1', '1']])) as DecodedQuery,
      }
    }
    const leaves = (params: Record<string, unknown>): number =>
      Object.keys(params).filter((each) => each !== 'n').length +
      Object.keys((params['n'] as object | undefined) ?? {}).length

    it.each(Object.entries(spellings))('%s', (_, key) => {
      const atLimit = keyed(1000, key)
      const read = parseQuery(atLimit.raw)
      expect(leaves(read)).toBe(1000)
      expect(queryFromDecoded(atLimit.decoded)).toEqual(read)
      const over = keyed(1001, key)
      expect(() => parseQuery(over.raw)).toThrow(tooMany)
      expect(() => queryFromDecoded(over.decoded)).toThrow(tooMany)
    })

    it('a repeated key counts once, however often it is sent, and a= and a[]= are one key', () => {
      const repeats = parseQuery(`n[x]=1&${pairs(1500, (index) => `a=${index}`)}&last=1`)
      expect(repeats['a']).toEqual(numbers(1500))
      expect(repeats['last']).toBe('1')
      expect(parseQuery(pairs(1500, (index) => `a=${index}`))['a']).toEqual(numbers(1500))
      const both = `${pairs(1000, (index) => `k${index}=1`)}&${pairs(1000, (index) => `k${index}[]=2`)}`
      expect(parseQuery(both)['k999']).toEqual(['1', '2'])
      expect(() => parseQuery(`${both}&k1000[]=3`)).toThrow(tooMany)
      const decoded = Object.fromEntries(
        numbers(1000).flatMap((index) => [
          [`k${index}`, ['1']],
          [`k${index}[]`, ['2']],
        ]),
      ) as Record<string, string[]>
      expect(queryFromDecoded(decoded)['k999']).toEqual(['1', '2'])
      expect(() => queryFromDecoded({ ...decoded, 'k1000[]': ['3'] })).toThrow(tooMany)
    })
  })

  it('indices: up to index 99 an array; from 100 an object key, so no index makes a sparse array', () => {
    expect(parseQuery('a[99]=x')).toEqual({ a: ['x'] })
    expect(parseQuery('a[1]=y&a[0]=x')).toEqual({ a: ['x', 'y'] })
    expect(parseQuery('a[100]=x')).toEqual({ a: { '100': 'x' } })
    expect(parseQuery('a[99999999]=x')).toEqual({ a: { '99999999': 'x' } })
    expect(queryFromDecoded({ 'a[100]': ['x'] })).toEqual({ a: { '100': 'x' } })
  })

  it('repeats: every value in the order sent, flat, beside a nested key or with [], alike', () => {
    for (const count of [1, 100, 101, 3000]) {
      const all = count === 1 ? '0' : numbers(count)
      expect(parseQuery(pairs(count, (index) => `a=${index}`))['a'], `flat ${count}`).toEqual(all)
      expect(parseQuery(`n[x]=1&${pairs(count, (index) => `a=${index}`)}`)['a']).toEqual(all)
      expect(parseQuery(`${pairs(count, (index) => `a=${index}`)}&n.x=1`)['a']).toEqual(all)
      // [] always gives an array, one value or many; nested deeper or spelt with dots alike.
      expect(parseQuery(pairs(count, (index) => `a[]=${index}`))['a']).toEqual(numbers(count))
      expect(parseQuery(pairs(count, (index) => `n[a][]=${index}`))['n']).toEqual({
        a: numbers(count),
      })
      expect(parseQuery(pairs(count, (index) => `n.a[]=${index}`))['n']).toEqual({
        a: numbers(count),
      })
      expect(parseQuery(pairs(count, (index) => `n[a]=${index}`))['n']).toEqual({ a: all })
      expect(
        queryFromDecoded({ 'n[x]': ['1'], a: numbers(count) })['a'],
        `decoded ${count}`,
      ).toEqual(all)
      expect(queryFromDecoded({ 'a[]': numbers(count) })['a']).toEqual(numbers(count))
    }
    // Both spellings of one key are one array, in the order sent.
    expect(parseQuery('a=0&a[]=1&a=2')).toEqual({ a: ['0', '1', '2'] })
  })

  it('reads every query with no array past 100 as qs itself reads it: only the limit moved', () => {
    const corpus = [
      'a[b]=1',
      'a[]=1',
      'a[]=1&a[]=2',
      'a=1&a[]=2',
      'a[]=1&a=2',
      'a[1]=y&a[0]=x',
      'a[b][]=1&a[b][]=2',
      'a.b[]=1&a.b[]=2',
      'a[][b]=1',
      'a[][]=1',
      '[]=y&a[b]=1',
      '=x&a[b]=1',
      'a[b]=1&a[b]=2',
      'a[b]=1&a=2',
      'a=2&a[b]=1',
      'a[0]=1&a[b]=2',
      'a[b=c]=d',
      'x=1&a[b]=2&x=3',
      'a[b][c][d][e][]=1&a[b][c][d][e][]=2',
      'a.b.c.d.e.f[]=1',
      'toString=1&a[b]=2',
      '__proto__[x]=1&a[b]=1',
      'a[__proto__]=1',
      'a[]&a[b]',
      'a[0]=1&a[]=2',
      'a[]=1&a[0]=2',
      'a[1][b]=1&a[0][b]=2',
      'a%5B%5D=1&a%5B%5D=2',
      'a]b=1&c[d]=1',
      'a[b]=1&a[b][c]=2',
      'a[-1]=1&a[01]=2',
      'a[b]=%20+x',
      'a[b][]=1&a[b][0]=2',
    ]
    const decoder = (text: string) => decodeURIComponent(text.replaceAll('+', ' '))
    for (const query of corpus) {
      expect(parseQuery(query), query).toEqual(
        qs.parse(query, { allowDots: true, depth: 5, arrayLimit: 100, decoder }),
      )
    }
  })

  it('splits a pair as the flat loop does, unless its key has a bracket before the =', () => {
    expect(parseQuery('a[b=c]=d')).toEqual({ a: { 'b=c': 'd' } })
    expect(parseQuery('x=a[b]=c&n[x]=1')).toEqual({ x: 'a[b]=c', n: { x: '1' } })
    expect(parseQuery('x=a[b]=c')).toEqual({ x: 'a[b]=c' })
  })

  describe('through the handler (status, code)', () => {
    const invoker = createInvoker(
      createRegistry({
        tags: action(
          {
            triggers: [WEB_GET],
            params: Type.Object({
              tag: Type.Array(Type.String()),
              n: Type.Optional(Type.Object({ x: Type.String() })),
            }),
            result: Type.Number(),
          },
          ({ tag }) => tag.length,
        ),
      }),
    )
    const http = createHttpHandler({ invoker })
    const get = (query: string) =>
      http.handle({ method: 'GET', path: '/actions/tags', query, headers: {}, requestId: 'r' })
    /** `head` then `&tag=1` pairs, the last value padded so the query is `length` long. */
    const exactly = (length: number, head: string, key: string): [string, number] => {
      let query = head
      let count = 0
      while (query.length + key.length + 3 <= length) {
        query += `${query === '' ? '' : '&'}${key}=1`
        count++
      }
      return [query + '1'.repeat(length - query.length), count]
    }
    const spellings = [
      ['flat', '', 'tag'],
      ['beside a nested key', 'n[x]=1', 'tag'],
      ['with []', '', 'tag[]'],
      ['with [] beside a nested key', 'n.x=1', 'tag[]'],
    ] as const

    it.each(spellings)('%s: 100 and 101 repeats are read whole (200)', async (_, head, key) => {
      for (const count of [100, 101]) {
        const query = [head, pairs(count, (index) => `${key}=${index}`)].filter(Boolean).join('&')
        expect(await get(query)).toMatchObject({ status: 200, body: String(count) })
      }
    })

    it.each(spellings)('%s: up to the 16 KiB length (200), then 414', async (_, head, key) => {
      const [atLimit, count] = exactly(16_384, head, key)
      expect(atLimit).toHaveLength(16_384)
      expect(await get(atLimit)).toMatchObject({ status: 200, body: String(count) })
      const over = await get(`${atLimit}1`)
      expect(over.status).toBe(414)
      expect(JSON.parse(over.body ?? '')).toMatchObject({ code: 'URI_TOO_LONG' })
    })

    it.each([
      ['flat', ['tag'], (index: number) => `k${index}`],
      ['nested', ['tag', 'n[x]'], (index: number) => `n[k${index}]`],
    ] as const)(
      '%s: 1,000 distinct keys, raw or decoded (200); one more, 400 BAD_REQUEST',
      async (_, head, key) => {
        for (const [count, status] of [
          [1000, 200],
          [1001, 400],
        ] as const) {
          const keys = [
            ...head,
            ...Array.from({ length: count - head.length }, (_, index) => key(index)),
          ]
          const raw = await get(keys.map((each) => `${each}=1`).join('&'))
          const decoded = await http.handle({
            method: 'GET',
            path: '/actions/tags',
            decodedQuery: Object.fromEntries(keys.map((each) => [each, ['1']])),
            headers: {},
            requestId: 'r',
          })
          for (const response of [raw, decoded]) {
            expect(response.status, `${count} keys`).toBe(status)
            if (status === 200) expect(response.body).toBe('1')
            else {
              expect(JSON.parse(response.body ?? '')).toMatchObject({
                code: 'BAD_REQUEST',
                detail: 'The query string has over 1000 distinct keys',
              })
            }
          }
        }
      },
    )

    it('an index up to 99 gives an array (200); from 100 an object, which the schema refuses (400)', async () => {
      expect(await get('tag[99]=x')).toMatchObject({ status: 200, body: '1' })
      const over = await get('tag[100]=x')
      expect(over.status).toBe(400)
      expect(JSON.parse(over.body ?? '')).toMatchObject({
        code: 'INVALID_PARAMS',
        issues: [expect.objectContaining({ path: '/tag' })],
      })
    })
  })
})
