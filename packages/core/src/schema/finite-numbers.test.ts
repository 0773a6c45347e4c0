import { describe, expect, it } from 'vitest'
import { nonFiniteIssue } from './finite-numbers.ts'

describe('nonFiniteIssue', () => {
  it('finds nothing in finite values, strings and empty containers', () => {
    for (const value of [0, -1.5, Number.MAX_VALUE, 'Infinity', null, undefined, {}, [], true]) {
      expect(nonFiniteIssue(value)).toBeNull()
    }
    expect(nonFiniteIssue({ a: [1, { b: 2 }], c: 'NaN' })).toBeNull()
  })

  it('points at the first non-finite number, with JSON Pointer escaping', () => {
    expect(nonFiniteIssue(Infinity)).toEqual({
      path: '/',
      message: 'must be a finite number (got Infinity)',
      keyword: 'finite',
    })
    expect(nonFiniteIssue(JSON.parse('{"data":[1,-1e309]}'))?.path).toBe('/data/1')
    expect(nonFiniteIssue({ 'a/b': { '~c': NaN } })).toMatchObject({
      path: '/a~1b/~0c',
      message: 'must be a finite number (got NaN)',
    })
  })

  it('walks nesting deeper than the call stack allows, and survives cycles', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}1e309${']'.repeat(100_000)}`) as unknown
    const path = nonFiniteIssue(deep)?.path ?? ''
    // Compared by length: a failure would otherwise print 200,000 characters.
    expect([path.length, path === '/0'.repeat(100_000)]).toEqual([200_000, true])
    const cyclic: Record<string, unknown> = { a: 1 }
    cyclic['self'] = cyclic
    expect(nonFiniteIssue(cyclic)).toBeNull()
  })

  it('answers every finite value alike, however deep, wide or shared its parts', () => {
    // Past the quick scan's depth and node bounds the cycle-safe walk decides: both must agree.
    const deep = JSON.parse(`${'{"a":['.repeat(1_000)}1${']}'.repeat(1_000)}`) as unknown
    const wide = Array.from({ length: 20_000 }, (_, index) => ({ index }))
    const shared = { n: 1 }
    expect([deep, wide, [shared, shared, { shared }]].map(nonFiniteIssue)).toEqual([
      null,
      null,
      null,
    ])
    const deepBad = JSON.parse(`${'{"a":['.repeat(70)}-1e309${']}'.repeat(70)}`) as unknown
    expect(nonFiniteIssue(deepBad)?.path).toBe('/a/0'.repeat(70))
  })

  it('ignores inherited properties, as JSON does', () => {
    const child = Object.create({ inherited: Infinity }) as object
    expect(nonFiniteIssue(child)).toBeNull()
  })

  it('finds a non-finite number in objects without a prototype', () => {
    const bare = Object.assign(Object.create(null) as object, { ok: 1, bad: -Infinity })
    expect(nonFiniteIssue({ items: [bare] })?.path).toBe('/items/0/bad')
  })

  it('still ignores inherited properties when Object.prototype has an enumerable one', () => {
    // The quick scan of plain objects skips the own-property check: a polluted prototype must
    // send it to the exact walk, never produce an issue for a property the value does not own.
    Object.defineProperty(Object.prototype, 'polluted', {
      value: NaN,
      enumerable: true,
      writable: true,
      configurable: true,
    })
    let clean: ReturnType<typeof nonFiniteIssue> = null
    let dirty: ReturnType<typeof nonFiniteIssue> = null
    try {
      clean = nonFiniteIssue({ a: [{ b: 1 }] })
      dirty = nonFiniteIssue({ a: [{ b: Infinity }] })
    } finally {
      delete (Object.prototype as Record<string, unknown>)['polluted']
    }
    expect(clean).toBeNull()
    expect(dirty?.path).toBe('/a/0/b')
  })
})
