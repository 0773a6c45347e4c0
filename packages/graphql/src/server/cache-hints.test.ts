import {
  action,
  anyScope,
  createInvoker,
  createRegistry,
  noStore,
  ttl,
  Type,
  WEB_GET,
} from '@servey/core'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serveyGraphql } from './plugin.ts'

const Item = Type.Object({ id: Type.Integer() }, { $id: 'Item' })

const actions = {
  long_lived: action({ triggers: [WEB_GET], result: Type.String(), cache: ttl(300) }, () => 'a'),
  short_lived: action({ triggers: [WEB_GET], result: Type.String(), cache: ttl(30) }, () => 'b'),
  item: action({ triggers: [WEB_GET], result: Item, cache: ttl(60) }, () => ({ id: 1 })),
  label: action(
    { parent: Item, result: Type.String(), cache: ttl(10) },
    (_params, { parent }) => `item ${parent.id}`,
  ),
  uncached: action({ triggers: [WEB_GET], result: Type.String() }, () => 'c'),
  never_stored: action({ triggers: [WEB_GET], result: Type.String(), cache: noStore }, () => 'd'),
  per_user: action(
    { triggers: [WEB_GET], result: Type.String(), cache: ttl(60, { visibility: 'private' }) },
    () => 'f',
  ),
  for_root: action(
    { triggers: [WEB_GET], result: Type.String(), access: anyScope('root'), cache: ttl(60) },
    () => 'e',
  ),
}

let app: FastifyInstance
beforeAll(async () => {
  app = Fastify()
  await app.register(serveyGraphql, { invoker: createInvoker(createRegistry(actions)) })
  await app.ready()
})
afterAll(() => app.close())

const get = (query: string) =>
  app.inject({
    method: 'GET',
    url: `/graphql?query=${encodeURIComponent(query)}`,
    headers: { accept: 'application/json' },
  })

describe('GraphQL cache hints', () => {
  it('sends the smallest max-age of the fields a GET query touched', async () => {
    expect((await get('{ longLived }')).headers['cache-control']).toBe('public, max-age=300')
    expect((await get('{ longLived shortLived }')).headers['cache-control']).toBe(
      'public, max-age=30',
    )
  })

  it('counts nested fields, and plain properties inherit from their action', async () => {
    expect((await get('{ item { id } }')).headers['cache-control']).toBe('public, max-age=60')
    expect((await get('{ item { id label } }')).headers['cache-control']).toBe('public, max-age=10')
  })

  it('sends none when one field is uncacheable or private', async () => {
    for (const query of ['{ longLived uncached }', '{ neverStored }', '{ longLived perUser }']) {
      const response = await get(query)
      expect(response.statusCode).toBe(200)
      expect(response.headers['cache-control'], query).toBeUndefined()
    }
  })

  it('sends none over POST, nor when the query failed', async () => {
    const posted = await app.inject({
      method: 'POST',
      url: '/graphql',
      payload: { query: '{ longLived }' },
    })
    expect(posted.json()).toEqual({ data: { longLived: 'a' } })
    expect(posted.headers['cache-control']).toBeUndefined()
    const refused = await get('{ forRoot }')
    expect(refused.headers['cache-control']).toBeUndefined()
  })
})
