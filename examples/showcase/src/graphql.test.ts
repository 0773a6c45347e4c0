import { createInvoker, createRegistry, type InvokePlugin } from '@servey/core'
import { serveyGraphql } from '@servey/graphql'
import { createServer } from '@servey/rest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import * as actions from './actions/index.ts'

// Every call that reaches a handler, by action name: evidence of what GraphQL resolved.
const invoked: string[] = []
const recorder: InvokePlugin = {
  name: 'recorder',
  onInvoke(event) {
    invoked.push(event.action.name)
  },
}

describe('the showcase over GraphQL', () => {
  let app: Awaited<ReturnType<typeof createServer>>

  beforeAll(async () => {
    const invoker = createInvoker(createRegistry(actions), { plugins: [recorder] })
    app = await createServer({
      invoker,
      extend: (server) => server.register(serveyGraphql, { invoker }),
    })
  })
  afterAll(() => app.close())
  beforeEach(() => {
    invoked.length = 0
  })

  const post = async (query: string) => {
    const response = await app.inject({ method: 'POST', url: '/graphql', payload: { query } })
    return { status: response.statusCode, body: response.body }
  }

  it('greets the world', async () => {
    expect(await post('{ sayHello(name: "World") }')).toEqual({
      status: 200,
      body: '{"data":{"sayHello":"Hello World!"}}',
    })
  })

  it('resolves factorial only when the query asks for it', async () => {
    expect(JSON.parse((await post('{ numberStats(value: 5) { value factorial } }')).body)).toEqual({
      data: { numberStats: { value: 5, factorial: 120 } },
    })
    expect(invoked).toEqual(['number_stats', 'factorial'])

    invoked.length = 0
    expect(JSON.parse((await post('{ numberStats(value: 5) { value } }')).body)).toEqual({
      data: { numberStats: { value: 5 } },
    })
    expect(invoked).toEqual(['number_stats'])
  })

  // Unbounded, the synchronous factorial loop held the event loop for seconds at 2^31 - 1 and
  // 171! overflowed to Infinity (a 500 INVALID_RESULT): the schema now refuses both up front.
  it('refuses values whose factorial is not finite before any work, as a 400 (GraphQL error shape)', async () => {
    for (const query of [
      '{ numberStats(value: 2147483647) { factorial } }',
      '{ numberStats(value: 171) { factorial } }',
      '{ statsForNumbers(numbers: [1, 2147483647]) { factorial } }',
    ]) {
      const { status, body } = await post(query)
      expect(status).toBe(400)
      const answer = JSON.parse(body) as { errors: { extensions: { code: string } }[] }
      expect(answer.errors.map((error) => error.extensions.code)).toEqual(['INVALID_PARAMS'])
    }
    expect(invoked).toEqual([])
    expect(JSON.parse((await post('{ numberStats(value: 170) { factorial } }')).body)).toEqual({
      data: { numberStats: { factorial: 7.257415615307994e306 } },
    })
  })

  // Found by pnpm fuzz: the sum of two 1.7e308 samples is Infinity, a 500 INVALID_RESULT.
  it('refuses predict samples whose sum could overflow, as a 400', async () => {
    const { status, body } = await post('mutation { predict(data: [1.7e308, 1.7e308]) { next } }')
    expect(status).toBe(400)
    const answer = JSON.parse(body) as { errors: { extensions: { code: string } }[] }
    expect(answer.errors.map((error) => error.extensions.code)).toEqual(['INVALID_PARAMS'])
    expect(invoked).toEqual([])
  })

  it('answers 400 INVALID_PARAMS over REST for a value past the bound', async () => {
    const response = await app.inject({ url: '/actions/number-stats?value=2147483647' })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ code: 'INVALID_PARAMS' })
  })

  it('answers the original’s getStatsForNumbers golden query', async () => {
    const { body } = await post('{ statsForNumbers(numbers: [2, 4, 6, 8]) { value factorial } }')
    expect(JSON.parse(body)).toEqual({
      data: {
        statsForNumbers: [
          { value: 2, factorial: 2 },
          { value: 4, factorial: 24 },
          { value: 6, factorial: 720 },
          { value: 8, factorial: 40320 },
        ],
      },
    })
  })
})
