import { action, createInvoker, createRegistry, Type, WEB_POST } from '@servey/core'
import { serveyGraphql } from '@servey/graphql'
import { createServer } from '@servey/rest'
import { startScheduler } from '@servey/scheduler'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as actions from './actions/index.ts'

// A handler whose finite input gives a non-finite result. The showcase's own actions bound
// their inputs so that none can (predict's samples since pnpm fuzz found 1.7e308 + 1.7e308).
const overflow = action(
  { triggers: [WEB_POST], params: Type.Object({ value: Type.Number() }), result: Type.Number() },
  ({ value }) => value * 10,
)

// JSON has no Infinity: `1e309` parses to it, and so does the query string "Infinity" once
// coerced. Each used to reach a handler and end in a serializer: a 500, or a silent null.
describe('non-finite numbers in the showcase', () => {
  let app: Awaited<ReturnType<typeof createServer>>
  let scheduler: Awaited<ReturnType<typeof startScheduler>>

  beforeAll(async () => {
    const invoker = createInvoker(createRegistry({ ...actions, overflow }))
    scheduler = await startScheduler({ invoker, role: 'api' })
    app = await createServer({
      invoker,
      jobs: { runner: scheduler.jobs, callbackPolicy: scheduler.callbackPolicy },
      extend: (server) => server.register(serveyGraphql, { invoker }),
    })
  })
  afterAll(async () => {
    await app.close()
    await scheduler.close()
  })

  const problemOf = (response: { statusCode: number; body: string }) => ({
    status: response.statusCode,
    ...(JSON.parse(response.body) as { code: string; issues?: unknown }),
  })

  it('refuses them in a query string as INVALID_PARAMS', async () => {
    for (const value of ['1e309', 'Infinity', '-Infinity', '-1e400']) {
      const response = await app.inject({ url: `/actions/number-stats?value=${value}` })
      expect(problemOf(response)).toMatchObject({
        status: 400,
        code: 'INVALID_PARAMS',
        issues: [{ path: '/value', keyword: 'finite' }],
      })
    }
  })

  it('refuses them in a JSON body, called now or as a job', async () => {
    for (const prefer of [undefined, 'respond-async']) {
      const response = await app.inject({
        method: 'POST',
        url: '/actions/predict',
        payload: '{"data":[-1e309,1e309]}',
        headers: { 'content-type': 'application/json', ...(prefer ? { prefer } : {}) },
      })
      expect(problemOf(response)).toMatchObject({
        status: 400,
        code: 'INVALID_PARAMS',
        issues: [{ path: '/data/0', message: 'must be a finite number (got -Infinity)' }],
      })
    }
  })

  it('refuses them in GraphQL literals and variables', async () => {
    const literal = await app.inject({
      method: 'POST',
      url: '/graphql',
      payload: { query: 'mutation { predict(data: [1, 1e309]) { mean } }' },
    })
    expect(JSON.parse(literal.body)).toMatchObject({
      errors: [{ extensions: { code: 'INVALID_PARAMS', issues: [{ path: '/data/1' }] } }],
    })
    const variable = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json' },
      payload:
        '{"query":"query($v:Int!){ numberStats(value:$v) { value } }","variables":{"v":1e309}}',
    })
    expect(JSON.parse(variable.body)).toMatchObject({
      errors: [{ extensions: { code: 'INVALID_PARAMS', issues: [{ path: '/value' }] } }],
    })
  })

  it('answers a result that overflows with a coded 500 and a request id', async () => {
    const rest = await app.inject({
      method: 'POST',
      url: '/actions/overflow',
      payload: { value: 1.7e308 },
    })
    expect(problemOf(rest)).toEqual({
      status: 500,
      type: 'urn:servey:error:invalid-result',
      title: 'Invalid Result',
      detail: 'An unexpected error occurred.',
      code: 'INVALID_RESULT',
      requestId: expect.any(String),
    })
    const graphql = await app.inject({
      method: 'POST',
      url: '/graphql',
      payload: { query: 'mutation { overflow(value: 1.7e308) }' },
    })
    expect(JSON.parse(graphql.body)).toMatchObject({
      errors: [{ extensions: { code: 'INVALID_RESULT', requestId: expect.any(String) } }],
    })
  })
})
