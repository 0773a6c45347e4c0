import { describe, expect, it } from 'vitest'
import { cacheKey, canonicalJson, paramsPrefix } from './cache-key.ts'

describe('cache keys', () => {
  it('sorts object keys at every depth and drops undefined properties', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"x":1,"y":2}]},"b":1}',
    )
    expect(canonicalJson(undefined)).toBe('null')
  })

  it('gives the same key for the same params in another order', () => {
    expect(cacheKey('p:', 'a', { x: 1, y: 2 }, undefined, null, true)).toBe(
      cacheKey('p:', 'a', { y: 2, x: 1 }, undefined, null, true),
    )
  })

  it('separates callers of non-public actions, and nested actions by parent', () => {
    const alice = cacheKey('p:', 'a', {}, undefined, 'alice', false)
    const bob = cacheKey('p:', 'a', {}, undefined, 'bob', false)
    const anonymous = cacheKey('p:', 'a', {}, undefined, null, false)
    expect(new Set([alice, bob, anonymous]).size).toBe(3)
    expect(alice.startsWith(paramsPrefix('p:', 'a', {}))).toBe(true)
    expect(cacheKey('p:', 'a', {}, { n: 1 }, null, true)).not.toBe(
      cacheKey('p:', 'a', {}, { n: 2 }, null, true),
    )
  })
})
