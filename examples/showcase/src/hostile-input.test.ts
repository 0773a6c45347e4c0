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
// bodies, content types, a forged token and a callback URL aimed at cloud metadata.
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
      authorization: 'Bearer x.y.z',
      prefer: 'respond-async',
      'servey-callback-url': 'http://169.254.169.254/',
    }
    const statuses = new Map<number, number>()
    const failures: string[] = []
    const check = (label: string, status: number, body: string): void => {
      statuses.set(status, (statuses.get(status) ?? 0) + 1)
      if (status >= 500) failures.push(`${label} → ${status} ${body.slice(0, 160)}`)
    }
    for (const url of urls) {
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const) {
        for (const query of queries) {
          const response = await app.inject({ method, url: url + query, headers: hostile })
          check(`${method} ${url}${query.slice(0, 40)}`, response.statusCode, response.body)
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
    // The sweep reached the refusals it is meant to exercise, not only a 404 everywhere.
    for (const status of [400, 401, 404, 405, 415])
      expect(statuses.get(status) ?? 0).toBeGreaterThan(10)
  } finally {
    await app.close()
    await scheduler.close()
  }
}, 120_000)
