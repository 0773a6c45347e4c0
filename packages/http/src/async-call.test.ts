import { action, createInvoker, createRegistry, Type, WEB_GET, WEB_POST } from '@servey/core'
import { describe, expect, it } from 'vitest'
import { createHttpHandler } from './http-handler.ts'

let calls = 0
const actions = {
  count: action(
    { triggers: [WEB_POST], params: Type.Object({ n: Type.Number() }), result: Type.Number() },
    function count({ n }) {
      calls += 1
      return n
    },
  ),
  always: action({ triggers: [WEB_GET], async: true, result: Type.String() }, function always() {
    calls += 1
    return 'ran'
  }),
}

describe('a call that asks for a job, on a handler without a job runner', () => {
  const http = createHttpHandler({ invoker: createInvoker(createRegistry(actions)) })
  const post = (headers: Record<string, string>) =>
    http.handle({
      method: 'POST',
      path: '/actions/count',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{"n":1}',
      requestId: 'r1',
    })

  it.each([
    ['Prefer: respond-async', { prefer: 'wait=5, Respond-Async' }],
    ['a callback URL', { 'servey-callback-url': 'https://example.com/hook' }],
  ])('is refused with ASYNC_NOT_SUPPORTED for %s, and does not run', async (_what, headers) => {
    calls = 0
    const response = await post(headers)
    expect(response.status).toBe(400)
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8')
    const problem = JSON.parse(String(response.body)) as { code: string; detail: string }
    expect(problem.code).toBe('ASYNC_NOT_SUPPORTED')
    expect(problem.detail).toContain('Servey-Callback-URL')
    expect(calls).toBe(0)
  })

  it('runs in the request when nothing asks for a job', async () => {
    calls = 0
    const response = await post({ prefer: 'return=minimal' })
    expect([response.status, String(response.body), calls]).toEqual([200, '1', 1])
    // An action declared `async: true` still answers: the server, not the client, lacks jobs.
    const always = await http.handle({
      method: 'GET',
      path: '/actions/always',
      headers: {},
      requestId: 'r2',
    })
    expect([always.status, String(always.body)]).toEqual([200, '"ran"'])
  })
})
