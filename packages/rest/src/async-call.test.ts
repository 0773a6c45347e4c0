import {
  action,
  anyScope,
  createInvoker,
  createJwtAuthenticator,
  createJwtIssuer,
  createRegistry,
  Type,
  WEB_GET,
  WEB_POST,
} from '@servey/core'
import type { FastifyInstance } from 'fastify'
import { createMemoryJobRunner, type MemoryJobRunner } from '@servey/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prefersAsync } from '@servey/http'
import { createServer } from './create-server.ts'

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256!'
const issuer = createJwtIssuer({ secret: SECRET })
const token = async (subject: string, scopes: string[] = []) =>
  `Bearer ${(await issuer.issue({ subject, scopes })).token}`

const actions = {
  predict: action(
    {
      triggers: [WEB_POST],
      params: Type.Object({ data: Type.Array(Type.Number()) }),
      result: Type.Number(),
    },
    function predict({ data }) {
      return data.reduce((sum, value) => sum + value, 0) / data.length
    },
  ),
  report: action(
    { triggers: [WEB_GET], async: true, access: anyScope('reports'), result: Type.String() },
    function report() {
      return 'done'
    },
  ),
  renamed: action(
    { triggers: [WEB_POST], async: { always: false, callbackHeaders: { url: 'X-Hook' } } },
    function renamed() {
      return 1
    },
  ),
}

let app: FastifyInstance
let runner: MemoryJobRunner
beforeAll(async () => {
  const invoker = createInvoker(createRegistry(actions), {
    authenticator: await createJwtAuthenticator({ secret: SECRET }),
  })
  runner = createMemoryJobRunner(invoker)
  app = await createServer({
    invoker,
    jobs: { runner, callbackPolicy: { allowedHosts: ['127.0.0.1'] }, adminScope: 'ops' },
  })
})
afterAll(() => app.close())

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url, payload: body as object, headers })

describe('prefersAsync', () => {
  it('reads RFC 7240 preferences', () => {
    expect(prefersAsync('respond-async')).toBe(true)
    expect(prefersAsync('wait=10, Respond-Async')).toBe(true)
    expect(prefersAsync('respond-async; foo=bar')).toBe(true)
    expect(prefersAsync('return=minimal')).toBe(false)
    expect(prefersAsync(undefined)).toBe(false)
  })
})

describe('background calls over REST', () => {
  it('answers 202 with a job location for Prefer: respond-async, and the job has the result', async () => {
    const response = await post(
      '/actions/predict',
      { data: [1, 2, 3] },
      { prefer: 'respond-async' },
    )
    expect(response.statusCode).toBe(202)
    expect(response.headers['preference-applied']).toBe('respond-async')
    const location = response.headers['location'] as string
    expect(location).toMatch(/^\/jobs\/job-\d+$/)
    expect(response.json()).toMatchObject({ action: 'predict', status: 'queued', location })
    await runner.settled()
    const job = await app.inject({ url: location })
    expect(job.statusCode).toBe(200)
    expect(job.headers['cache-control']).toBe('no-store')
    expect(job.json()).toMatchObject({ status: 'succeeded', result: 2, subject: null })
  })

  it('runs synchronously without the preference', async () => {
    const response = await post('/actions/predict', { data: [4] })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toBe(4)
  })

  it('checks params, token and access before the 202: nothing is queued', async () => {
    const before = runner.requests.length
    const invalid = await post('/actions/predict', { data: 'x' }, { prefer: 'respond-async' })
    expect(invalid.statusCode).toBe(400)
    expect(invalid.json()).toMatchObject({ code: 'INVALID_PARAMS' })
    const badToken = await app.inject({
      url: '/actions/report',
      headers: { authorization: 'Bearer nope' },
    })
    expect(badToken.statusCode).toBe(401)
    const noScope = await app.inject({
      url: '/actions/report',
      headers: { authorization: await token('bob') },
    })
    expect(noScope.statusCode).toBe(403)
    expect(runner.requests.length).toBe(before)
  })

  it('always answers 202 for an async action, and runs it as the caller', async () => {
    const response = await app.inject({
      url: '/actions/report',
      headers: { authorization: await token('carol', ['reports']) },
    })
    expect(response.statusCode).toBe(202)
    expect(response.headers['preference-applied']).toBeUndefined()
    expect(runner.requests.at(-1)?.authorization).toMatchObject({
      subject: 'carol',
      scopes: ['reports'],
    })
  })

  it('shows a job only to its owner or the admin scope; others get 404', async () => {
    const started = await app.inject({
      url: '/actions/report',
      headers: { authorization: await token('carol', ['reports']) },
    })
    const location = started.headers['location'] as string
    const as = async (subject: string | undefined, scopes: string[] = []) =>
      (
        await app.inject({
          url: location,
          headers: subject === undefined ? {} : { authorization: await token(subject, scopes) },
        })
      ).statusCode
    expect(await as('carol')).toBe(200)
    expect(await as('mallory')).toBe(404)
    expect(await as(undefined)).toBe(404)
    expect(await as('root', ['ops'])).toBe(200)
    const unknown = await app.inject({ url: '/jobs/does-not-exist' })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.headers['content-type']).toMatch(/problem\+json/)
    expect(unknown.json()).toMatchObject({ code: 'NOT_FOUND', status: 404 })
  })

  it('DELETE cancels a job that has not ended; an ended one is a 409', async () => {
    const started = await post('/actions/predict', { data: [1] }, { prefer: 'respond-async' })
    const location = started.headers['location'] as string
    const ended = await app.inject({ method: 'DELETE', url: location })
    expect(ended.statusCode).toBe(409)
    expect(ended.json()).toMatchObject({ code: 'CONFLICT' })
  })

  it('accepts a callback URL: 202 at once, with the callback passed to the runner', async () => {
    const response = await post(
      '/actions/predict',
      { data: [1] },
      {
        'servey-callback-url': 'http://127.0.0.1:9/hook',
        'servey-callback-method': 'put',
        'servey-callback-key': 'prediction',
      },
    )
    expect(response.statusCode).toBe(202)
    expect(runner.requests.at(-1)?.callback).toEqual({
      url: 'http://127.0.0.1:9/hook',
      method: 'PUT',
      key: 'prediction',
    })
  })

  it.each([
    ['http://169.254.169.254/latest/meta-data/'],
    ['http://10.0.0.1/hook'],
    ['http://[::1]:8080/hook'],
    ['http://127.0.0.2:8080/hook'],
    ['http://0.0.0.0/hook'],
    ['file:///etc/passwd'],
  ])('refuses the callback URL %s with 400, before queuing anything', async (url) => {
    const before = runner.requests.length
    const response = await post('/actions/predict', { data: [1] }, { 'servey-callback-url': url })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ code: 'BAD_REQUEST' })
    expect(runner.requests.length).toBe(before)
  })

  it('refuses a callback method other than POST, PUT, PATCH', async () => {
    const response = await post(
      '/actions/predict',
      { data: [1] },
      { 'servey-callback-url': 'http://127.0.0.1:9/', 'servey-callback-method': 'GET' },
    )
    expect(response.statusCode).toBe(400)
  })

  it('uses the header names an action renames', async () => {
    const response = await post('/actions/renamed', {}, { 'x-hook': 'http://169.254.169.254/' })
    expect(response.statusCode).toBe(400)
    const ignored = await post(
      '/actions/renamed',
      {},
      { 'servey-callback-url': 'http://169.254.169.254/' },
    )
    expect(ignored.statusCode).toBe(200)
  })

  it('documents the 202, the headers, the callback and /jobs/{id} in OpenAPI', async () => {
    const document = (await app.inject({ url: '/openapi.json' })).json()
    const predict = document.paths['/actions/predict'].post
    expect(Object.keys(predict.responses)).toEqual(expect.arrayContaining(['200', '202']))
    expect(predict.responses['202'].headers).toHaveProperty('Location')
    const headers = predict.parameters.map((parameter: { name: string }) => parameter.name)
    expect(headers).toEqual(
      expect.arrayContaining([
        'Prefer',
        'Servey-Callback-URL',
        'Servey-Callback-Method',
        'Servey-Callback-Key',
      ]),
    )
    expect(predict.callbacks.outcome).toHaveProperty([
      '{$request.header.Servey-Callback-URL}',
      'post',
    ])
    const report = document.paths['/actions/report'].get
    expect(report.responses['200']).toBeUndefined()
    expect(document.paths['/jobs/{id}']).toHaveProperty('get')
    expect(document.paths['/jobs/{id}']).toHaveProperty('delete')
    expect(document.components.schemas).toHaveProperty('JobState')
  })
})
