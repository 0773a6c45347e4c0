import { createJwtIssuer } from '@servey/core'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, postGraphQL, TEST_SECRET, type Calls } from '../test-app.ts'

const issuer = createJwtIssuer({ secret: TEST_SECRET })
const bearer = async (subject: string, scopes: string[]) =>
  `Bearer ${(await issuer.issue({ subject, scopes })).token}`

describe('serveyGraphql', () => {
  let app: FastifyInstance
  let calls: Calls

  beforeAll(async () => {
    ;({ app, calls } = await buildTestApp())
  })
  afterAll(() => app.close())

  it('answers { sayHello(name: "World") } over POST /graphql', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/graphql',
      payload: { query: '{ sayHello(name: "World") }' },
    })
    expect(response.statusCode).toBe(200)
    expect(response.body).toBe('{"data":{"sayHello":"Hello World!"}}')
  })

  it('answers queries over GET /graphql too, with variables in the URL', async () => {
    const query = encodeURIComponent('query($n: String!) { sayHello(name: $n) }')
    const variables = encodeURIComponent(JSON.stringify({ n: 'GET' }))
    const response = await app.inject({
      method: 'GET',
      url: `/graphql?query=${query}&variables=${variables}`,
      headers: { accept: 'application/json' },
    })
    expect(response.json()).toEqual({ data: { sayHello: 'Hello GET!' } })
  })

  it('refuses a mutation over GET with 405', async () => {
    const query = encodeURIComponent('mutation { crashes }')
    const response = await app.inject({ method: 'GET', url: `/graphql?query=${query}` })
    expect(response.statusCode).toBe(405)
  })

  it('resolves a nested action with its parent, only when the query asks for it', async () => {
    const before = { ...calls, parentsPerBatch: [...calls.parentsPerBatch] }
    const asked = await postGraphQL(app, { query: '{ numberStats(value: 5) { value factorial } }' })
    expect(asked.body).toEqual({ data: { numberStats: { value: 5, factorial: 120 } } })
    expect(calls.factorialBatches).toBe(before.factorialBatches + 1)

    const notAsked = await postGraphQL(app, { query: '{ numberStats(value: 5) { value } }' })
    expect(notAsked.body).toEqual({ data: { numberStats: { value: 5 } } })
    expect(calls.factorialBatches).toBe(before.factorialBatches + 1)
    expect(calls.factorial).toBe(before.factorial)
  })

  it('batches a nested action over a list into one call per request and arguments', async () => {
    const before = calls.parentsPerBatch.length
    const response = await postGraphQL(app, {
      query: `{
        statsForNumbers(numbers: [2, 4, 6, 8]) { value factorial plusOne: factorial(plus: 1) }
      }`,
    })
    expect(response.body).toEqual({
      data: {
        statsForNumbers: [
          { value: 2, factorial: 2, plusOne: 3 },
          { value: 4, factorial: 24, plusOne: 25 },
          { value: 6, factorial: 720, plusOne: 721 },
          { value: 8, factorial: 40320, plusOne: 40321 },
        ],
      },
    })
    // One batch for `factorial`, one for `factorial(plus: 1)`: four parents each.
    expect(calls.parentsPerBatch.slice(before)).toEqual([4, 4])
  })

  it('never shares a batch or its cache between requests', async () => {
    const before = calls.parentsPerBatch.length
    const query = '{ statsForNumbers(numbers: [3, 3]) { factorial } }'
    const [first, second] = await Promise.all([
      postGraphQL(app, { query }),
      postGraphQL(app, { query }),
    ])
    expect(first.body).toEqual({ data: { statsForNumbers: [{ factorial: 6 }, { factorial: 6 }] } })
    expect(second.body).toEqual(first.body)
    expect(calls.parentsPerBatch.slice(before)).toEqual([2, 2])
  })

  it('maps camelCase arguments, input fields and enums back to the action’s names', async () => {
    const response = await postGraphQL(app, {
      query: `mutation Order($item: CreateOrderOrderItemInput!) {
        createOrder(orderItem: $item, kind: express, note: null) { orderId itemName kind note placedAt }
      }`,
      variables: { item: { itemName: 'tea', qty: 2 } },
    })
    expect(response.body).toEqual({
      data: {
        createOrder: {
          orderId: 7,
          itemName: 'tea',
          kind: 'express',
          note: null,
          placedAt: '2026-11-21T10:00:00.000Z',
        },
      },
    })
  })

  it('turns an action error into a GraphQL error with the Servey code and HTTP status', async () => {
    const response = await postGraphQL(app, { query: '{ failsKnown }' })
    expect(response.status).toBe(409)
    expect(response.body.data).toBeNull()
    expect(response.body.errors).toMatchObject([
      {
        message: 'Order already shipped',
        path: ['failsKnown'],
        extensions: { code: 'CONFLICT', status: 409, title: 'Conflict' },
      },
    ])
    // yoga reads extensions.http for the status and keeps it off the wire.
    expect(response.body.errors?.[0]?.extensions).not.toHaveProperty('http')
  })

  it('masks an unexpected error and gives its request id', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/graphql',
      payload: { query: 'mutation { crashes }' },
    })
    expect(response.statusCode).toBe(500)
    expect(response.body).not.toContain('hunter2')
    const [error] = (
      response.json() as { errors: Array<{ message: string; extensions: Record<string, unknown> }> }
    ).errors
    expect(error).toMatchObject({
      message: 'An unexpected error occurred.',
      extensions: { code: 'INTERNAL', status: 500, requestId: expect.any(String) },
    })
  })

  it('reports params that fail core validation as INVALID_PARAMS with their paths', async () => {
    const response = await postGraphQL(app, {
      query:
        'mutation { createOrder(orderItem: { itemName: "tea", qty: 0 }, kind: standard) { orderId } }',
    })
    expect(response.status).toBe(400)
    expect(response.body.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_PARAMS',
      issues: [{ path: '/order_item/qty', message: 'must be >= 1' }],
    })
  })

  it('reports variables GraphQL refuses as INVALID_PARAMS in the action’s names', async () => {
    const response = await postGraphQL(app, {
      query: `mutation($item: CreateOrderOrderItemInput!, $kind: CreateOrderKind!) {
        createOrder(orderItem: $item, kind: $kind) { orderId }
      }`,
      variables: { item: { itemName: 3, qty: 'two' } },
    })
    expect(response.status).toBe(400)
    expect(response.body.errors).toHaveLength(1)
    const issues = (response.body.errors?.[0]?.extensions?.['issues'] ?? []) as Array<{
      path: string
    }>
    expect(issues.map((issue) => issue.path).sort()).toEqual([
      '/kind',
      '/order_item/item_name',
      '/order_item/qty',
    ])
    expect(response.body.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_PARAMS',
      status: 400,
    })
  })

  it('passes the Authorization header to core for root and nested fields alike', async () => {
    const anonymous = await postGraphQL(app, { query: '{ whoami }' })
    expect(anonymous.body.errors?.[0]?.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      status: 401,
    })

    const root = await postGraphQL(
      app,
      { query: '{ whoami }' },
      { authorization: await bearer('ada', ['root']) },
    )
    expect(root.body).toEqual({ data: { whoami: 'ada' } })

    const nestedQuery = '{ statsForNumbers(numbers: [1, 2]) { value secretStat } }'
    const withoutScope = await postGraphQL(
      app,
      { query: nestedQuery },
      { authorization: await bearer('bob', ['user']) },
    )
    // A nested field fails alone: its parents and siblings are still answered.
    expect(withoutScope.status).toBe(403)
    expect(withoutScope.body.data).toEqual({
      statsForNumbers: [
        { value: 1, secretStat: null },
        { value: 2, secretStat: null },
      ],
    })
    expect(
      withoutScope.body.errors?.map((error) => [error.path, error.extensions?.['code']]),
    ).toEqual([
      [['statsForNumbers', 0, 'secretStat'], 'FORBIDDEN'],
      [['statsForNumbers', 1, 'secretStat'], 'FORBIDDEN'],
    ])

    const withScope = await postGraphQL(
      app,
      { query: nestedQuery },
      { authorization: await bearer('ada', ['root']) },
    )
    expect(withScope.body).toEqual({
      data: {
        statsForNumbers: [
          { value: 1, secretStat: 'ada:1' },
          { value: 2, secretStat: 'ada:2' },
        ],
      },
    })

    const forged = await postGraphQL(
      app,
      { query: '{ sayHello(name: "x") }' },
      { authorization: 'Bearer forged' },
    )
    expect(forged.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' })
  })

  it('gives handlers a graphql trigger naming the operation', async () => {
    const response = await postGraphQL(app, { query: '{ explicitQuery }' })
    expect(response.body).toEqual({ data: { explicitQuery: true } })
  })

  it('serves only the actions GraphQL is meant to serve', async () => {
    const response = await postGraphQL(app, {
      query: '{ __schema { queryType { fields { name } } mutationType { fields { name } } } }',
    })
    const schema = response.body.data?.['__schema'] as {
      queryType: { fields: Array<{ name: string }> }
      mutationType: { fields: Array<{ name: string }> }
    }
    expect(schema.queryType.fields.map((field) => field.name)).toEqual([
      'explicitQuery',
      'failsKnown',
      'numberStats',
      'sayHello',
      'statsForNumbers',
      'whoami',
    ])
    expect(schema.mutationType.fields.map((field) => field.name)).toEqual([
      'crashes',
      'createOrder',
    ])
  })
})
