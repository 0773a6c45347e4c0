import type { FastifyInstance } from 'fastify'
import { getIntrospectionQuery } from 'graphql'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { buildTestApp, postGraphQL, type Calls } from '../test-app.ts'

/** Refused as a client error: a 4xx, or GraphQL errors without data; never a 5xx. */
function expectRefused(response: {
  status: number
  body: { data?: unknown; errors?: unknown[] }
}): void {
  expect(response.status).toBeLessThan(500)
  expect(response.body.errors?.length ?? 0).toBeGreaterThan(0)
  expect(response.body.data ?? null).toBeNull()
}

describe('bad input is answered with client errors', () => {
  let app: FastifyInstance
  let calls: Calls

  beforeAll(async () => {
    ;({ app, calls } = await buildTestApp())
  })
  afterAll(() => app.close())

  it('refuses a malformed query', async () => {
    const response = await postGraphQL(app, { query: '{ sayHello(name: "x"' })
    expectRefused(response)
    expect(response.body.errors?.[0]).toMatchObject({
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    })
  })

  it('refuses a body that is not JSON, or has no query', async () => {
    const broken = await app.inject({
      method: 'POST',
      url: '/graphql',
      payload: '{"query": ',
      headers: { 'content-type': 'application/json' },
    })
    expect(broken.statusCode).toBe(400)
    expectRefused(await postGraphQL(app, { variables: {} }))
    const notAString = await postGraphQL(app, { query: 42 })
    expect(notAString.status).toBe(400)
  })

  it('refuses unknown fields, and answers with the GraphQL error', async () => {
    const response = await postGraphQL(app, { query: '{ sayHelo(name: "x") }' })
    expectRefused(response)
    expect(response.body.errors?.[0]).toMatchObject({
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    })
  })

  it('hides field suggestions outside dev mode, so a hidden schema cannot be guessed', async () => {
    const response = await postGraphQL(app, { query: '{ sayHelo(name: "x") }' })
    expect(JSON.stringify(response.body)).not.toContain('Did you mean')
    const { app: devApp } = await buildTestApp({ dev: true })
    const dev = await postGraphQL(devApp, { query: '{ sayHelo(name: "x") }' })
    expect(JSON.stringify(dev.body)).toContain('Did you mean')
    await devApp.close()
  })

  it('refuses wrong argument types, literal or in variables', async () => {
    const literal = await postGraphQL(app, { query: '{ numberStats(value: "five") { value } }' })
    expectRefused(literal)
    const variable = await postGraphQL(app, {
      query: 'query($v: Int!) { numberStats(value: $v) { value } }',
      variables: { v: 'five' },
    })
    expectRefused(variable)
    expect(variable.status).toBe(400)
    expect(variable.body.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_PARAMS',
      issues: [{ path: '/value' }],
    })
    const undeclared = await postGraphQL(app, {
      query: 'query($v: NoSuchType!) { numberStats(value: $v) { value } }',
      variables: { v: 1 },
    })
    expectRefused(undeclared)
  })

  it('refuses 1,000 aliased fields before running any of them', async () => {
    const before = calls.factorialBatches
    const aliases = Array.from(
      { length: 1000 },
      (_, i) => `a${i}: numberStats(value: ${i}) { factorial }`,
    )
    const response = await postGraphQL(app, { query: `{ ${aliases.join(' ')} }` })
    expectRefused(response)
    expect(calls.factorialBatches).toBe(before)
  })

  it('refuses more aliases than the limit even in a short query', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: sayHello(name: "x")`)
    const response = await postGraphQL(app, { query: `{ ${aliases.join(' ')} }` })
    expectRefused(response)
    expect(JSON.stringify(response.body.errors)).toContain('Aliases limit of 15 exceeded')
  })

  it('refuses a batch of 1,000 operations, and answers a small batch', async () => {
    const many = Array.from({ length: 1000 }, () => ({ query: '{ sayHello(name: "x") }' }))
    const refused = await postGraphQL(app, many)
    expect(refused.status).toBe(413)
    expect(refused.body.errors?.[0]?.message).toBe(
      'Batching is limited to 10 operations per request.',
    )

    const response = await app.inject({
      method: 'POST',
      url: '/graphql',
      payload: [{ query: '{ sayHello(name: "a") }' }, { query: '{ sayHello(name: "b") }' }],
    })
    expect(response.json()).toEqual([
      { data: { sayHello: 'Hello a!' } },
      { data: { sayHello: 'Hello b!' } },
    ])
  })

  it('does not crash on a deeply nested or very long query', async () => {
    const deep = `{ ${'numberStats(value: 1) { value '.repeat(200)}${'}'.repeat(200)} }`
    expectRefused(await postGraphQL(app, { query: deep }))
    const long = `{ sayHello(name: "${'x'.repeat(200_000)}") }`
    const response = await postGraphQL(app, { query: long })
    expect(response.status).toBeLessThan(500)
  })
})

describe('limits', () => {
  it.each([
    {
      limits: { depth: 1 },
      query: '{ numberStats(value: 1) { value } }',
      says: 'depth limit of 1 exceeded',
    },
    {
      limits: { tokens: 12 },
      query: '{ a: sayHello(name: "x") b: sayHello(name: "y") }',
      says: 'Token limit of 12 exceeded',
    },
    {
      limits: { cost: 1 },
      query: '{ numberStats(value: 1) { value } }',
      says: 'cost limit of 1 exceeded: found 2',
    },
    {
      limits: { directives: 1 },
      query: '{ sayHello(name: "x") @include(if: true) @skip(if: false) }',
      says: 'Directives limit of 1 exceeded',
    },
  ])('applies a configured limit: $says', async ({ limits, query, says }) => {
    const { app } = await buildTestApp({ limits })
    const response = await postGraphQL(app, { query })
    expectRefused(response)
    expect(JSON.stringify(response.body.errors)).toContain(says)
    await app.close()
  })

  // GraphQL over HTTP: a document refused before it runs is a request error. Answered as
  // `application/graphql-response+json` it is a 4xx; as `application/json` (or with no Accept,
  // which the spec reads as application/json) it is a 200 whose body holds the errors.
  it.each([
    ['application/graphql-response+json', 400],
    ['application/json', 200],
    [undefined, 200],
  ] as const)('answers the token limit per its media type: %s is %i', async (accept, status) => {
    const { app } = await buildTestApp({ limits: { tokens: 12 } })
    const response = await postGraphQL(
      app,
      { query: '{ a: sayHello(name: "x") b: sayHello(name: "y") }' },
      accept === undefined ? {} : { accept },
    )
    expect(response.status).toBe(status)
    expect(response.body.data ?? null).toBeNull()
    expect(response.body.errors?.[0]).toMatchObject({
      message: 'Syntax Error: Token limit of 12 exceeded.',
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    })
    await app.close()
  })

  it('refuses a limit that is not a positive integer, at start-up', async () => {
    await expect(buildTestApp({ limits: { depth: 0 } })).rejects.toMatchObject({
      code: 'SERVEY_ERR_GRAPHQL_LIMIT_INVALID',
      message: 'GraphQL limit depth must be a positive integer, got 0',
    })
    await expect(buildTestApp({ limits: { deepness: 3 } as never })).rejects.toMatchObject({
      code: 'SERVEY_ERR_GRAPHQL_LIMIT_INVALID',
    })
  })
})

describe('introspection and GraphiQL', () => {
  const introspection = { query: '{ __schema { queryType { name } } }' }

  afterEach(() => {
    vi.unstubAllEnvs()
  })

  it('are off in production unless asked for', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const { app } = await buildTestApp()
    expectRefused(await postGraphQL(app, introspection))
    const page = await app.inject({
      method: 'GET',
      url: '/graphql',
      headers: { accept: 'text/html' },
    })
    expect(page.headers['content-type']).not.toContain('text/html')
    await app.close()

    const { app: enabled } = await buildTestApp({ introspection: true })
    expect((await postGraphQL(enabled, introspection)).body).toEqual({
      data: { __schema: { queryType: { name: 'Query' } } },
    })
    await enabled.close()
  })

  it('let GraphiQL’s full introspection query through the default limits', async () => {
    const { app } = await buildTestApp({ dev: true })
    const query = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    })
    const response = await postGraphQL(app, { query })
    expect(response.body.errors).toBeUndefined()
    expect(response.body.data?.['__schema']).toMatchObject({ queryType: { name: 'Query' } })
    await app.close()
  })

  it('are on in dev mode, even with NODE_ENV=production, unless turned off', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const { app } = await buildTestApp({ dev: true })
    expect((await postGraphQL(app, introspection)).body.data).toBeTruthy()
    const page = await app.inject({
      method: 'GET',
      url: '/graphql',
      headers: { accept: 'text/html' },
    })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toContain('text/html')
    expect(page.body).toContain('<title>Servey GraphiQL</title>')
    // Every script and style is inline: no CDN, so it works offline.
    expect(page.body).not.toMatch(/<(?:script|link)[^>]+(?:src|href)=["']https?:/i)
    await app.close()

    const { app: off } = await buildTestApp({ dev: true, introspection: false, graphiql: false })
    expectRefused(await postGraphQL(off, introspection))
    await off.close()
  })
})
