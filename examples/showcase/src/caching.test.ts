import { createMemoryStore } from '@servey/cache'
import { createInvoker, createRegistry, createResultCache } from '@servey/core'
import { createServer } from '@servey/rest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as actions from './actions/index.ts'

let app: Awaited<ReturnType<typeof createServer>>
beforeAll(async () => {
  const registry = createRegistry(actions)
  const cache = createResultCache({ store: createMemoryStore(), registry })
  app = await createServer({ invoker: createInvoker(registry, { plugins: [cache] }) })
})
afterAll(() => app.close())

describe('slow_get_with_ttl', () => {
  it('sends max-age=30, and a second call inside 30 s is the cached result', async () => {
    const first = await app.inject({ url: '/actions/slow-get-with-ttl?value=Hi' })
    expect(first.statusCode).toBe(200)
    expect(first.headers['cache-control']).toBe('public, max-age=30')
    const second = await app.inject({ url: '/actions/slow-get-with-ttl?value=Hi' })
    // Same computed_at: the handler did not run again, the server cache answered.
    expect(second.json()).toEqual(first.json())
    expect(first.json()).toMatchObject({ value: 'Hi' })
  }, 10_000)
})

describe('etag_example', () => {
  it('sends a quoted ETag and answers 304 to If-None-Match with it', async () => {
    const first = await app.inject({ url: '/actions/etag-example?id=7' })
    expect(first.json()).toEqual({ id: 7, title: 'Document 7' })
    const etag = first.headers['etag'] as string
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/)
    const again = await app.inject({
      url: '/actions/etag-example?id=7',
      headers: { 'if-none-match': etag },
    })
    expect(again.statusCode).toBe(304)
    expect(again.body).toBe('')
    const other = await app.inject({
      url: '/actions/etag-example?id=8',
      headers: { 'if-none-match': etag },
    })
    expect(other.statusCode).toBe(200)
  })
})
