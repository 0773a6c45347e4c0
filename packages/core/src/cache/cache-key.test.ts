import { describe, expect, it } from 'vitest'
import { actionPrefix, cacheKey, canonicalJson, digest, paramsPrefix } from './cache-key.ts'

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

  it('keeps two actions with the same params apart, and under their own action prefix', () => {
    const a = cacheKey('p:', 'get_a', { id: 1 }, undefined, null, true)
    const b = cacheKey('p:', 'get_b', { id: 1 }, undefined, null, true)
    expect(a).not.toBe(b)
    expect(a).toBe('p:get_a:{"id":1}:*')
    expect(a.startsWith(actionPrefix('p:', 'get_a'))).toBe(true)
    expect(b.startsWith(actionPrefix('p:', 'get_a'))).toBe(false)
  })

  it('writes the caller part: * when shared, - for no subject, the encoded subject else', () => {
    expect(cacheKey('p:', 'a', {}, undefined, 'x', true)).toBe('p:a:{}:*')
    expect(cacheKey('p:', 'a', {}, undefined, null, false)).toBe('p:a:{}:-')
    expect(cacheKey('p:', 'a', {}, undefined, undefined, false)).toBe('p:a:{}:-')
    expect(cacheKey('p:', 'a', {}, undefined, 'a:b/c', false)).toBe('p:a:{}:u=a%3Ab%2Fc')
  })

  it('keeps null params and null fields apart from missing ones', () => {
    expect(canonicalJson(null)).toBe('null')
    expect(canonicalJson({ a: null })).toBe('{"a":null}')
    const withNull = cacheKey('p:', 'a', { a: null }, undefined, null, true)
    const without = cacheKey('p:', 'a', {}, undefined, null, true)
    expect(withNull).not.toBe(without)
    expect(cacheKey('p:', 'a', null, undefined, null, true)).toBe('p:a:null:*')
  })

  it('inlines params up to 128 characters and digests longer ones, still one key per value', () => {
    const atLimit = { s: 'x'.repeat(128 - '{"s":""}'.length) }
    expect(canonicalJson(atLimit)).toHaveLength(128)
    expect(paramsPrefix('p:', 'a', atLimit)).toBe(`p:a:${canonicalJson(atLimit)}:`)

    const long = { s: 'x'.repeat(200) }
    const key = paramsPrefix('p:', 'a', long)
    expect(key).toBe(`p:a:${digest(canonicalJson(long))}:`)
    expect(key.length).toBeLessThan(60)
    expect(paramsPrefix('p:', 'a', { s: 'x'.repeat(199) + 'y' })).not.toBe(key)
    // The same params in another order digest to the same key.
    const twoFields = { a: 'y'.repeat(100), b: 'z'.repeat(100) }
    expect(paramsPrefix('p:', 'a', twoFields)).toBe(
      paramsPrefix('p:', 'a', { b: 'z'.repeat(100), a: 'y'.repeat(100) }),
    )
  })

  it('digests to 43 base64url characters, which never start a JSON object or array', () => {
    // The inline and digested forms cannot collide only because a digest is base64url text.
    for (const text of ['', '{}', 'x'.repeat(1000)]) {
      expect(digest(text)).toMatch(/^[A-Za-z0-9_-]{43}$/)
    }
    expect(digest('{}')).toBe('RBNvo1WzZ4oRRq0W9-hknpT7T8If536DEMBg9hyq_4o')
  })

  it('digests a long parent together with the params', () => {
    const parent = { items: 'p'.repeat(200) }
    const key = paramsPrefix('p:', 'a', { n: 1 }, parent)
    expect(key).toBe(`p:a:${digest(canonicalJson([{ n: 1 }, parent]))}:`)
    expect(paramsPrefix('p:', 'a', { n: 2 }, parent)).not.toBe(key)
  })
})
