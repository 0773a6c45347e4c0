import { fileURLToPath } from 'node:url'
import { createInvoker, createJwtAuthenticator, createRegistry } from '@servey/core'
import { serveyGraphql } from '@servey/graphql'
import { createServer } from '@servey/rest'
import { startScheduler } from '@servey/scheduler'
import { expect, it } from 'vitest'
import * as actions from './actions/index.ts'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

// The promise to users: bad input of any kind gets a 4xx with a code, never a 5xx. This sweeps
// every route of the showcase (actions, pages, jobs, GraphQL, docs, token) with hostile queries,
// bodies, content types, a forged token and a callback URL aimed at cloud metadata. Each query
// is sent as is, as a job with that callback, and with the token, and the test checks which
// layer answered: a sweep that stops at 401 everywhere would test only the token check.
it('answers hostile input on every route with a 4xx, never a 5xx', async () => {
  const registry = createRegistry(actions)
  const authenticator = await createJwtAuthenticator({
    secret: 'hostile-input-test-secret-of-length',
  })
  const invoker = createInvoker(registry, { authenticator })
  const scheduler = await startScheduler({ invoker, role: 'api' })
  const app = await createServer({
    invoker,
    pages: { templates: here('../templates'), public: here('../public') },
    jobs: { runner: scheduler.jobs, callbackPolicy: scheduler.callbackPolicy },
    extend: (server) => server.register(serveyGraphql, { invoker }),
  })
  try {
    const document = (await app.inject({ url: '/openapi.json' })).json() as { paths: object }
    const urls = [
      ...Object.keys(document.paths).map((path) => path.replace(/\{[^}]+\}/g, 'x')),
      '/current-time-page',
      '/jobs/unknown',
      '/jobs/..%2F..%2Fetc',
      '/graphql',
      '/token',
      '/%zz',
    ]
    const queries = [
      '?value=abc',
      '?value=1e999',
      '?a[b][c][d][e][f][g]=1',
      `?${'a[]=1&'.repeat(2000)}`,
      '?name=%00',
      '?data=1&data=x',
      '?query=%7B',
      '?value=0x10',
      '?value=%205',
      '?name=%FF%FE',
    ]
    const deep = `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`
    const bodies = [
      '{',
      '[]',
      'null',
      '"s"',
      '{"__proto__":{"admin":true}}',
      deep,
      '{"data":[1,"a"],"value":1e308}',
    ]
    const contentTypes = ['application/json', 'text/plain', 'application/x-www-form-urlencoded']
    const hostile = {
      prefer: 'respond-async',
      'servey-callback-url': 'http://169.254.169.254/',
    }
    const forged = { ...hostile, authorization: 'Bearer x.y.z' }
    const statuses = new Map<number, number>()
    const failures: string[] = []
    // What each query request got, as is, asking for a job with a callback to cloud metadata,
    // and with a forged token: `GET /x?y` → "400 CODE".
    const anonymous = new Map<string, string>()
    const asJob = new Map<string, string>()
    const withToken = new Map<string, string>()
    const codeOf = (body: string): string => {
      try {
        return String((JSON.parse(body) as { code?: unknown }).code ?? '')
      } catch {
        return ''
      }
    }
    const check = (label: string, status: number, body: string): void => {
      statuses.set(status, (statuses.get(status) ?? 0) + 1)
      if (status >= 500) failures.push(`${label} → ${status} ${body.slice(0, 160)}`)
    }
    for (const url of urls) {
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const) {
        for (const query of queries) {
          // A forged token stops a call at 401 before validation; without one the same request
          // must reach validation and the handler, or the sweep tests only the token check.
          for (const [headers, outcomes] of [
            [{}, anonymous],
            [hostile, asJob],
            [forged, withToken],
          ] as const) {
            const response = await app.inject({ method, url: url + query, headers })
            const label = `${method} ${url}${query}`
            check(label.slice(0, 80), response.statusCode, response.body)
            outcomes.set(label, `${response.statusCode} ${codeOf(response.body)}`)
          }
        }
        if (method === 'GET' || method === 'DELETE') continue
        for (const payload of bodies) {
          for (const contentType of contentTypes) {
            const response = await app.inject({
              method,
              url,
              payload,
              headers: { 'content-type': contentType },
            })
            check(
              `${method} ${url} ${contentType} ${payload.slice(0, 30)}`,
              response.statusCode,
              response.body,
            )
          }
        }
      }
    }
    const aliases = Array.from({ length: 1000 }, (_, i) => `a${i}: sayHello(name: "x")`).join(' ')
    for (const query of [
      '{',
      '{ nope }',
      '{ numberStats(value: "x") { value } }',
      `{ ${aliases} }`,
    ]) {
      const response = await app.inject({ method: 'POST', url: '/graphql', payload: { query } })
      check(`graphql ${query.slice(0, 30)}`, response.statusCode, response.body)
    }
    const batch = Array.from({ length: 1000 }, () => ({ query: '{ sayHello(name: "x") }' }))
    const response = await app.inject({ method: 'POST', url: '/graphql', payload: batch })
    check('graphql batch of 1000', response.statusCode, response.body)

    expect(failures).toEqual([])
    const actionCalls = [...withToken].filter(([label]) => label.includes(' /actions/'))
    expect(actionCalls.length).toBeGreaterThan(100)
    // Every action call with the forged token stopped at the token check (or, for a method
    // the action does not serve, at routing; or, for a query that does not percent-decode,
    // at reading the request, which comes before any token is looked at)...
    expect(
      actionCalls.filter(
        ([label, outcome]) =>
          !/^40[15] /.test(outcome) &&
          !(label.endsWith('?name=%FF%FE') && outcome === '400 BAD_REQUEST'),
      ),
    ).toEqual([])
    expect(actionCalls.filter(([, outcome]) => outcome.startsWith('401 ')).length).toBeGreaterThan(
      50,
    )
    // ...and without it, the same requests reached validation and the handlers.
    expect({
      letters: anonymous.get('GET /actions/number-stats?value=abc'),
      overflow: anonymous.get('GET /actions/number-stats?value=1e999'),
      nested: anonymous.get('GET /actions/number-stats?a[b][c][d][e][f][g]=1'),
      handled: anonymous.get('GET /actions/say-hello?name=%00'),
      sameNameTwice: anonymous.get('GET /actions/say-hello?data=1&data=x'),
      pageRendered: anonymous.get('GET /current-time-page?value=abc'),
      // Only decimal text becomes a number; text that does not percent-decode is refused.
      hex: anonymous.get('GET /actions/number-stats?value=0x10'),
      leadingSpace: anonymous.get('GET /actions/number-stats?value=%205'),
      badEncoding: anonymous.get('GET /actions/say-hello?name=%FF%FE'),
      badEncodingOnPage: anonymous.get('GET /current-time-page?name=%FF%FE'),
    }).toEqual({
      letters: '400 INVALID_PARAMS',
      overflow: '400 INVALID_PARAMS',
      nested: '400 INVALID_PARAMS',
      handled: '200 ',
      sameNameTwice: '400 INVALID_PARAMS',
      pageRendered: '200 ',
      hex: '400 INVALID_PARAMS',
      leadingSpace: '400 INVALID_PARAMS',
      badEncoding: '400 BAD_REQUEST',
      badEncodingOnPage: '400 ',
    })
    // A job whose callback aims at cloud metadata is refused once the input is valid.
    expect(asJob.get('GET /actions/say-hello?name=%00')).toBe('400 BAD_REQUEST')
    expect(asJob.get('GET /actions/number-stats?value=abc')).toBe('400 INVALID_PARAMS')
    const reachedValidation = [...anonymous.values()].filter((o) => o === '400 INVALID_PARAMS')
    expect(reachedValidation.length).toBeGreaterThan(20)
    const reachedHandler = [...anonymous.values()].filter((o) => /^20[0-4] /.test(o))
    expect(reachedHandler.length).toBeGreaterThan(20)
    // The sweep reached the refusals it is meant to exercise, not only a 404 everywhere.
    for (const status of [400, 401, 404, 405, 415])
      expect(statuses.get(status) ?? 0).toBeGreaterThan(10)
  } finally {
    await app.close()
    await scheduler.close()
  }
}, 120_000)
