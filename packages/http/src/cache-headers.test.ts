import type { AccessPolicy, CachePolicy } from '@servey/core/adapter'
import { describe, expect, it } from 'vitest'
import { cachedResponse, routeCaching } from './cache-headers.ts'
import { strongEtag } from './etag.ts'
import type { HttpRequest } from './http-message.ts'

const policy = (fields: Partial<CachePolicy>): CachePolicy => ({
  maxAge: undefined,
  etag: false,
  serverTtl: undefined,
  visibility: undefined,
  noStore: false,
  ...fields,
})
const everyone: AccessPolicy = { kind: 'allow_all' }
const signedIn: AccessPolicy = { kind: 'authenticated' }

describe('routeCaching', () => {
  it('gives Cache-Control to GET and HEAD only', () => {
    const ttl = policy({ maxAge: 60 })
    expect(routeCaching(ttl, everyone, 'GET')).toEqual({
      cacheControl: 'public, max-age=60',
      etag: false,
    })
    expect(routeCaching(ttl, signedIn, 'HEAD')).toEqual({
      cacheControl: 'private, max-age=60',
      etag: false,
    })
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(routeCaching(ttl, everyone, method)).toEqual({ cacheControl: undefined, etag: false })
    }
  })

  it('says no-store on every method', () => {
    for (const method of ['GET', 'HEAD', 'POST', 'DELETE']) {
      expect(routeCaching(policy({ noStore: true }), everyone, method)).toEqual({
        cacheControl: 'no-store',
        etag: false,
      })
    }
  })

  it('tags GET and HEAD answers only, when the policy asks for an ETag', () => {
    const tagged = policy({ etag: true })
    expect(routeCaching(tagged, everyone, 'GET')).toEqual({
      cacheControl: 'public, no-cache',
      etag: true,
    })
    expect(routeCaching(tagged, everyone, 'HEAD')).toMatchObject({ etag: true })
    expect(routeCaching(tagged, everyone, 'POST')).toEqual({ cacheControl: undefined, etag: false })
  })

  it('adds nothing without a policy', () => {
    expect(routeCaching(undefined, everyone, 'GET')).toEqual({
      cacheControl: undefined,
      etag: false,
    })
  })
})

describe('cachedResponse', () => {
  const request = (headers: HttpRequest['headers'] = {}): HttpRequest => ({
    method: 'GET',
    path: '/actions/x',
    headers,
    requestId: 'r',
  })
  const body = '{"n":1}'
  const etag = strongEtag(body)

  it('answers 200 with only the content type when nothing is cached', () => {
    expect(
      cachedResponse(request(), { cacheControl: undefined, etag: false }, 'text/plain', body),
    ).toEqual({ status: 200, headers: { 'content-type': 'text/plain' }, body })
  })

  it('adds Cache-Control, and an ETag of the body when asked', () => {
    expect(
      cachedResponse(request(), { cacheControl: 'public, max-age=5', etag: false }, 'a/b', body),
    ).toEqual({
      status: 200,
      headers: { 'cache-control': 'public, max-age=5', 'content-type': 'a/b' },
      body,
    })
    expect(
      cachedResponse(request(), { cacheControl: 'public, no-cache', etag: true }, 'a/b', body),
    ).toEqual({
      status: 200,
      headers: { 'cache-control': 'public, no-cache', etag, 'content-type': 'a/b' },
      body,
    })
  })

  it('answers 304 with the validator, Cache-Control and no content for a matching If-None-Match', () => {
    const caching = { cacheControl: 'public, no-cache', etag: true }
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      expect(cachedResponse(request({ 'if-none-match': header }), caching, 'a/b', body)).toEqual({
        status: 304,
        headers: { 'cache-control': 'public, no-cache', etag },
        body: undefined,
      })
    }
  })

  it('answers 200 for an If-None-Match that does not match, or on a route without ETags', () => {
    const other = cachedResponse(
      request({ 'if-none-match': strongEtag('{"n":2}') }),
      { cacheControl: undefined, etag: true },
      'a/b',
      body,
    )
    expect(other).toEqual({ status: 200, headers: { etag, 'content-type': 'a/b' }, body })
    const untagged = cachedResponse(
      request({ 'if-none-match': '*' }),
      { cacheControl: undefined, etag: false },
      'a/b',
      body,
    )
    expect(untagged.status).toBe(200)
  })
})
