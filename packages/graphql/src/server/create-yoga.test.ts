import {
  createInvoker,
  createJwtAuthenticator,
  createJwtIssuer,
  createRegistry,
} from '@servey/core'
import { describe, expect, it } from 'vitest'
import { createTestActions, TEST_SECRET } from '../test-app.ts'
import { createServeyYoga } from './create-yoga.ts'

async function serve(options: { jit?: boolean } = {}) {
  const { actions, calls } = createTestActions()
  const invoker = createInvoker(createRegistry(actions), {
    authenticator: await createJwtAuthenticator({ secret: TEST_SECRET }),
  })
  const yoga = createServeyYoga({ invoker, logging: false, ...options })
  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const response = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...headers },
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }
  return { post, calls }
}

describe('createServeyYoga without Fastify', () => {
  it('reads the Authorization header and the request id from the fetch Request', async () => {
    const { post } = await serve()
    const { token } = await createJwtIssuer({ secret: TEST_SECRET }).issue({
      subject: 'ada',
      scopes: ['root'],
    })
    expect(
      (await post({ query: '{ whoami }' }, { authorization: `Bearer ${token}` })).body,
    ).toEqual({
      data: { whoami: 'ada' },
    })
    const failed = await post({ query: 'mutation { crashes }' }, { 'x-request-id': 'trace-42' })
    expect(failed.status).toBe(500)
    expect(failed.body['errors']).toMatchObject([
      { extensions: { code: 'INTERNAL', requestId: 'trace-42' } },
    ])
  })
})

describe.each([{ jit: false }, { jit: true }])('execution with jit: $jit', ({ jit }) => {
  it('answers queries, nested actions and batches the same way', async () => {
    const { post, calls } = await serve({ jit })
    const query = '{ sayHello(name: "World") statsForNumbers(numbers: [2, 4]) { value factorial } }'
    // Twice: graphql-jit compiles on first use and runs the compiled query after.
    for (let round = 0; round < 2; round++) {
      expect((await post({ query })).body).toEqual({
        data: {
          sayHello: 'Hello World!',
          statsForNumbers: [
            { value: 2, factorial: 2 },
            { value: 4, factorial: 24 },
          ],
        },
      })
    }
    expect(calls.parentsPerBatch).toEqual([2, 2])
  })

  it('keeps the Servey code, status and issues of errors', async () => {
    const { post } = await serve({ jit })
    const failed = await post({ query: '{ failsKnown }' })
    expect(failed.status).toBe(409)
    expect(failed.body['errors']).toMatchObject([
      { message: 'Order already shipped', extensions: { code: 'CONFLICT' } },
    ])
    const invalid = await post({
      query: 'query($v: Int!) { numberStats(value: $v) { value } }',
      variables: { v: 1.5 },
    })
    expect(invalid.status).toBe(400)
    expect(invalid.body['errors']).toMatchObject([
      { extensions: { code: 'INVALID_PARAMS', issues: [{ path: '/value' }] } },
    ])
  })
})
