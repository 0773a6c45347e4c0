import { action, createInvoker, createRegistry, Type, WEB_GET } from '@servey/core'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { postGraphQL } from '../test-app.ts'
import { serveyGraphql } from './plugin.ts'
import { DEFAULT_LIST_SIZE } from './cost-limit.ts'

const Point = Type.Object({ x: Type.Integer() }, { $id: 'Point' })
const points = (n: number) => Array.from({ length: n }, (_, x) => ({ x }))
let handlerCalls = 0

const actions = {
  pts: action(
    {
      triggers: [WEB_GET],
      params: Type.Object({ n: Type.Integer({ minimum: 0 }) }),
      result: Type.Array(Point),
    },
    ({ n }) => {
      handlerCalls += 1
      return points(n)
    },
  ),
  near: action(
    {
      parent: Point,
      params: Type.Object({ n: Type.Integer({ minimum: 0 }) }),
      result: Type.Array(Point),
    },
    ({ n }) => points(n),
  ),
  around: action({ parent: Point, result: Type.Array(Point) }, () => points(DEFAULT_LIST_SIZE)),
  capped: action(
    {
      triggers: [WEB_GET],
      params: Type.Object({ first: Type.Integer() }),
      result: Type.Array(Point, { maxItems: 3 }),
    },
    ({ first }) => points(Math.min(first, 3)),
  ),
}

// 15 aliases (the alias limit) of a list of 50, three lists deep: 1,875,000 objects, which
// armor's cost estimate let through under its default of 5000.
const wide = (n: string) =>
  Array.from(
    { length: 15 },
    (_, i) => `a${i}: pts(n: ${n}) { near(n: ${n}) { near(n: ${n}) { x } } }`,
  ).join(' ')

describe('the GraphQL cost limit counts list sizes', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = Fastify()
    await app.register(serveyGraphql, { invoker: createInvoker(createRegistry(actions)) })
    await app.ready()
  })
  afterAll(() => app.close())
  beforeEach(() => {
    handlerCalls = 0
  })

  // The status only carries meaning for application/graphql-response+json (GraphQL over HTTP);
  // the tests below ask for it, and the last one checks each media type.
  const post = (body: unknown, accept = 'application/graphql-response+json') =>
    postGraphQL(app, body, { accept })

  const refusal = (found: number | string, status = 400) => ({
    status,
    body: {
      errors: [
        expect.objectContaining({
          message: expect.stringContaining(
            `Query cost limit of 5000 exceeded: found ${String(found)}`,
          ) as unknown,
          extensions: expect.objectContaining({ code: 'BAD_REQUEST' }) as unknown,
        }),
      ],
    },
  })

  it('refuses nested lists whose sizes multiply past the limit, before any handler runs', async () => {
    expect(await post({ query: `{ ${wide('50')} }` })).toEqual(refusal(15 * 50 * 50 * 50))
    expect(handlerCalls).toBe(0)
  })

  it('reads sizes given in variables', async () => {
    const query = `query($n: Int!) { ${wide('$n')} }`
    expect(await post({ query, variables: { n: 50 } })).toEqual(refusal(15 * 50 * 50 * 50))
    const small = await post({ query, variables: { n: 2 } })
    expect(small.status).toBe(200)
    expect(small.body.errors).toBeUndefined()
    expect(handlerCalls).toBe(15)
  })

  it('lets a query under the limit run, at the cost its lists imply', async () => {
    const response = await post({ query: '{ pts(n: 70) { near(n: 70) { x } } }' })
    expect(response.status).toBe(200)
    expect((response.body.data?.['pts'] as unknown[]).length).toBe(70)
    expect(await post({ query: '{ pts(n: 80) { near(n: 80) { x } } }' })).toEqual(refusal(6400))
  })

  it('caps a size argument by the maxItems the result schema declares', async () => {
    const response = await post({ query: '{ capped(first: 1000000) { x } }' })
    expect(response.body).toEqual({ data: { capped: points(3) } })
  })

  // A cost refusal is a request error, as a document over the depth limit is: the operation
  // never ran and the answer has no data.
  it.each([
    ['application/graphql-response+json', 400],
    ['application/json', 200],
    [undefined, 200],
  ] as const)('answers a refusal per its media type: %s is %i', async (accept, status) => {
    const query = '{ pts(n: 80) { near(n: 80) { x } } }'
    const response = await postGraphQL(app, { query }, accept === undefined ? {} : { accept })
    expect(response).toEqual(refusal(6400, status))
    expect(response.body.data).toBeUndefined()
    expect(handlerCalls).toBe(0)
  })

  it(`takes a list with no size argument to hold ${DEFAULT_LIST_SIZE} items`, async () => {
    const three = '{ pts(n: 1) { around { around { around { x } } } } }'
    expect((await post({ query: three })).status).toBe(200)
    const four = '{ pts(n: 1) { around { around { around { around { x } } } } } }'
    expect(await post({ query: four })).toEqual(refusal(10_000))
  })
})
