import { describe, expect, it } from 'vitest'
import { action } from '../action/define-action.ts'
import { isDefinitionError } from '../errors/definition-error.ts'
import { allowAll, anyScope } from '../security/access-policy.ts'
import { cacheControlOf, noStore, toCachePolicy, ttl } from './cache-policy.ts'

describe('cache policy', () => {
  it('normalises ttl() with its extra options', () => {
    expect(toCachePolicy(ttl(30, { etag: true, server: true }), 'a')).toEqual({
      maxAge: 30,
      etag: true,
      serverTtl: 30,
      visibility: undefined,
      noStore: false,
    })
    expect(toCachePolicy({ server: { ttl: 5 } }, 'a').serverTtl).toBe(5)
  })

  it('is public for actions everyone may call and private for protected ones', () => {
    const policy = toCachePolicy(ttl(30), 'a')
    expect(cacheControlOf(policy, allowAll)).toBe('public, max-age=30')
    expect(cacheControlOf(policy, anyScope('root'))).toBe('private, max-age=30')
    const explicit = toCachePolicy(ttl(30, { visibility: 'private' }), 'a')
    expect(cacheControlOf(explicit, allowAll)).toBe('private, max-age=30')
  })

  it('says no-store for noStore, no-cache for an ETag alone, nothing without a policy', () => {
    expect(cacheControlOf(toCachePolicy(noStore, 'a'), allowAll)).toBe('no-store')
    expect(cacheControlOf(toCachePolicy({ etag: true }, 'a'), allowAll)).toBe('public, no-cache')
    expect(cacheControlOf(undefined, allowAll)).toBeUndefined()
    expect(cacheControlOf(toCachePolicy({ server: { ttl: 5 } }, 'a'), allowAll)).toBeUndefined()
  })

  it.each([
    [{ maxAge: 1.5 }, 'maxAge must be a whole number'],
    [{ maxAge: -1 }, 'maxAge must be a whole number'],
    [{ server: true }, 'needs a maxAge above 0'],
    [{ server: { ttl: 0 } }, 'server.ttl'],
    [{ noStore: true, maxAge: 3 }, 'noStore cannot be combined'],
    [{ visibility: 'shared' }, 'visibility'],
    [{ maxAgeSeconds: 3 }, "unknown key 'maxAgeSeconds'"],
  ])('refuses %j with SERVEY_ERR_CACHE_POLICY_INVALID', (options, message) => {
    let thrown: unknown
    try {
      action({ name: 'broken', cache: options as never }, () => 1)
    } catch (error) {
      thrown = error
    }
    expect(isDefinitionError(thrown)).toBe(true)
    expect((thrown as { code: string }).code).toBe('SERVEY_ERR_CACHE_POLICY_INVALID')
    expect((thrown as Error).message).toContain('broken')
    expect((thrown as Error).message).toContain(message)
  })

  it('is kept on the definition by action()', () => {
    const cached = action({ name: 'cached', cache: ttl(10) }, () => 1)
    expect(cached['~servey'].cache?.maxAge).toBe(10)
    expect(action({ name: 'plain' }, () => 1)['~servey'].cache).toBeUndefined()
  })
})
