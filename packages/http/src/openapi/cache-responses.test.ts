import { action, createRegistry, noStore, ttl, Type, WEB_GET, WEB_POST } from '@servey/core'
import { Validator } from '@seriousme/openapi-schema-validator'
import { describe, expect, it } from 'vitest'
import { createOpenApiDocument } from './document.ts'

type Json = Record<string, any>

// Built in each test, not once per file: the mutation run (`ignoreStatic`) only counts what a
// test runs.
function cacheDocument(): Json {
  return createOpenApiDocument(
    createRegistry({
      tagged: action(
        {
          triggers: [WEB_GET, WEB_POST],
          params: Type.Object({ q: Type.String() }),
          cache: ttl(30, { etag: true }),
        },
        ({ q }) => q,
      ),
      never_stored: action({ triggers: [WEB_POST], cache: noStore }, () => 1),
      plain: action({ triggers: [WEB_GET] }, () => 1),
    }),
  ) as Json
}

describe('OpenAPI: cache policies', () => {
  it('is still a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(cacheDocument() as never)
    expect(result.errors ?? []).toEqual([])
  })

  it('documents Cache-Control and ETag on the 200, If-None-Match and the 304 of a GET', () => {
    const document = cacheDocument()
    const get = document.paths['/actions/tagged'].get
    expect(Object.keys(get.responses['200'].headers)).toEqual(['Cache-Control', 'ETag'])
    expect(get.responses['200'].headers['Cache-Control'].schema.examples).toEqual([
      'public, max-age=30',
    ])
    expect(get.responses['304'].description).toMatch(/Not modified/)
    expect(get.responses['304'].headers.ETag).toBeDefined()
    expect(get.parameters.map((p: Json) => `${p.in}:${p.name}`)).toEqual([
      'query:q',
      'header:If-None-Match',
    ])
  })

  it('leaves other methods and plain actions alone, except no-store', () => {
    const document = cacheDocument()
    const post = document.paths['/actions/tagged'].post
    expect(post.responses['304']).toBeUndefined()
    expect(post.responses['200'].headers).toBeUndefined()
    expect(document.paths['/actions/plain'].get.responses['200'].headers).toBeUndefined()
    const stored = document.paths['/actions/never-stored'].post.responses['200']
    expect(stored.headers['Cache-Control'].schema.examples).toEqual(['no-store'])
  })
})
