import {
  action,
  authenticated,
  createInvoker,
  createRegistry,
  noStore,
  ttl,
  Type,
  WEB_GET,
  WEB_POST,
} from '@servey/core'
import { Validator } from '@seriousme/openapi-schema-validator'
import { describe, expect, it } from 'vitest'
import { createHttpHandler } from '../http-handler.ts'
import { createOpenApiDocument } from './document.ts'

type Json = Record<string, any>

const registry = createRegistry({
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
  // An ETag without a max-age: a cache must revalidate every time.
  revalidated: action({ triggers: [WEB_GET], cache: { etag: true } }, () => 'same'),
  // Only the server keeps results: nothing for a client to reuse, so no header.
  server_only: action({ triggers: [WEB_GET], cache: { server: { ttl: 60 } } }, () => 2),
  mine: action({ triggers: [WEB_GET], access: authenticated, cache: ttl(30) }, () => 3),
})

// Built in each test, not once per file: the mutation run (`ignoreStatic`) only counts what a
// test runs.
function cacheDocument(): Json {
  return createOpenApiDocument(registry) as Json
}

/** What the server really answers, through the transport-neutral handler every adapter uses. */
async function send(method: string, path: string, headers: Record<string, string> = {}) {
  const http = createHttpHandler({ invoker: createInvoker(registry) })
  const post = method === 'POST'
  const response = await http.handle({
    method,
    path,
    query: post ? '' : 'q=x',
    headers: post ? { 'content-type': 'application/json', ...headers } : headers,
    body: post ? '{"q":"x"}' : undefined,
    requestId: 'r',
  })
  return new Response(response.body ?? null, {
    status: response.status,
    headers: response.headers,
  })
}

describe('OpenAPI: cache policies', () => {
  it('is still a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(cacheDocument() as never)
    expect(result.errors ?? []).toEqual([])
  })

  it('documents Cache-Control and ETag on the 200, If-None-Match and the 304 of a GET', () => {
    const document = cacheDocument()
    const get = document.paths['/actions/tagged'].get
    expect(get.responses['200'].headers).toEqual({
      'Cache-Control': {
        description: expect.stringMatching(/reused/),
        schema: { type: 'string', examples: ['public, max-age=30'] },
      },
      ETag: {
        description: expect.stringMatching(/If-None-Match/),
        schema: { type: 'string' },
      },
    })
    expect(get.responses['304'].description).toMatch(/Not modified/)
    // A 304 carries the same validators as the 200 it stands for.
    expect(get.responses['304'].headers).toEqual(get.responses['200'].headers)
    expect(get.parameters).toEqual([
      { name: 'q', in: 'query', required: true, schema: { type: 'string' } },
      {
        name: 'If-None-Match',
        in: 'header',
        required: false,
        description: expect.stringMatching(/304/),
        schema: { type: 'string' },
      },
    ])
  })

  it('leaves other methods and plain actions alone, except no-store', () => {
    const document = cacheDocument()
    const post = document.paths['/actions/tagged'].post
    expect(post.responses['304']).toBeUndefined()
    expect(post.responses['200'].headers).toBeUndefined()
    expect(post.parameters).toBeUndefined()
    expect(document.paths['/actions/plain'].get.responses['200'].headers).toBeUndefined()
    const stored = document.paths['/actions/never-stored'].post.responses['200']
    expect(Object.keys(stored.headers)).toEqual(['Cache-Control'])
    expect(stored.headers['Cache-Control'].schema.examples).toEqual(['no-store'])
    expect(document.paths['/actions/never-stored'].post.responses['304']).toBeUndefined()
  })

  it('documents revalidation, private answers, and nothing for a server-only cache', () => {
    const document = cacheDocument()
    const revalidated = document.paths['/actions/revalidated'].get
    expect(revalidated.responses['200'].headers['Cache-Control'].schema.examples).toEqual([
      'public, no-cache',
    ])
    expect(revalidated.responses['304']).toBeDefined()
    // Its only parameter is the one the cache policy adds.
    expect(revalidated.parameters.map((p: Json) => p.name)).toEqual(['If-None-Match'])
    const mine = document.paths['/actions/mine'].get
    expect(mine.responses['200'].headers['Cache-Control'].schema.examples).toEqual([
      'private, max-age=30',
    ])
    expect(mine.responses['304']).toBeUndefined()
    const serverOnly = document.paths['/actions/server-only'].get
    expect(serverOnly.responses['200'].headers).toBeUndefined()
    expect(serverOnly.responses['304']).toBeUndefined()
    expect(serverOnly.parameters).toBeUndefined()
  })

  it('documents exactly the caching headers the server sends', async () => {
    const document = cacheDocument()
    const cases: [string, string][] = [
      ['GET', '/actions/tagged'],
      ['POST', '/actions/tagged'],
      ['POST', '/actions/never-stored'],
      ['GET', '/actions/plain'],
      ['GET', '/actions/revalidated'],
      ['GET', '/actions/server-only'],
    ]
    for (const [method, path] of cases) {
      const answer = await send(method, path)
      const sent = answer.headers
      const documented = document.paths[path][method.toLowerCase()].responses[answer.status]
      expect(answer.status, `${method} ${path}`).toBe(200)
      expect(documented.headers?.['Cache-Control']?.schema.examples, `${method} ${path}`).toEqual(
        sent.has('cache-control') ? [sent.get('cache-control')] : undefined,
      )
      expect(documented.headers?.['ETag'] !== undefined, `${method} ${path}`).toBe(sent.has('etag'))
      if (sent.has('etag')) {
        const revalidated = await send(method, path, { 'if-none-match': sent.get('etag')! })
        expect(revalidated.status).toBe(304)
        const notModified = document.paths[path][method.toLowerCase()].responses['304']
        for (const name of Object.keys(notModified.headers))
          expect(revalidated.headers.has(name), `${path} 304 ${name}`).toBe(true)
      }
    }
  })
})
