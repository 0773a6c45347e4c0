import { action, createInvoker, createRegistry, Type, WEB_GET, WEB_POST } from '@servey/core'
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import { describe, expect, it } from 'vitest'
import { createServer, type CreateServerOptions } from './create-server.ts'

const say_hello = action(
  { triggers: [WEB_GET], params: Type.Object({ name: Type.String() }), result: Type.String() },
  ({ name }) => `Hello ${name}!`,
)
const save_note = action(
  { triggers: [WEB_POST], params: Type.Object({ text: Type.String() }), result: Type.String() },
  ({ text }) => text,
)

/** A user's plugin whose own server-wide hook answers some requests before any route runs. */
const limiter: FastifyPluginAsync = fp(async (app) => {
  app.addHook('onRequest', async (request, reply) => {
    if (request.url === '/limited') return reply.code(429).send({ limited: true })
  })
  app.get('/limited', () => 'never')
})

async function serverWith(options: Partial<CreateServerOptions>): Promise<FastifyInstance> {
  return createServer({
    invoker: createInvoker(createRegistry({ say_hello, save_note })),
    bodyLimit: 64,
    // A route another adapter would add (GraphQL, channels): admitted like Servey's own.
    extend: (app) => app.get('/extended', () => 'extended'),
    ...options,
  })
}

const ID = 'client-chosen-id-1'

/** Every kind of answer the server gives, each from a different place in it. */
const ANSWERS = [
  { what: 'an action route', status: 200, url: '/actions/say-hello?name=A' },
  // Fastify's own HEAD route of a GET route: the same handler, so the same admission.
  {
    what: 'HEAD of an action route',
    status: 200,
    method: 'HEAD',
    url: '/actions/say-hello?name=A',
  },
  {
    what: 'a method the path does not serve',
    status: 405,
    method: 'DELETE',
    url: '/actions/say-hello',
  },
  { what: 'no route', status: 404, url: '/nothing-here' },
  { what: 'liveness', status: 200, url: '/health' },
  { what: 'the OpenAPI document', status: 200, url: '/openapi.json' },
  // Refused by the static scope's own hook, which must come after admission.
  { what: 'a dot segment under the docs', status: 400, url: '/docs/static/..%2F..%2Fpackage.json' },
  // Refused by Fastify while reading the body, before any handler runs.
  {
    what: 'a body over the limit',
    status: 413,
    method: 'POST',
    url: '/actions/save-note',
    payload: { text: 'x'.repeat(100) },
  },
  { what: 'a route added by extend', status: 200, url: '/extended' },
] as const

describe('request admission: every answer names its request', () => {
  for (const [mode, options] of [
    ['route hooks (no server plugins)', {}],
    ['one server-wide hook (server plugins)', { plugins: [limiter] }],
  ] as const) {
    it(`echoes x-request-id on every kind of answer, with ${mode}`, async () => {
      const app = await serverWith(options)
      for (const answer of ANSWERS) {
        const response = await app.inject({
          method: 'method' in answer ? answer.method : 'GET',
          url: answer.url,
          headers: { 'x-request-id': ID },
          ...('payload' in answer ? { payload: answer.payload } : {}),
        })
        expect([answer.what, response.statusCode]).toEqual([answer.what, answer.status])
        expect([answer.what, response.headers['x-request-id']]).toEqual([answer.what, ID])
      }
      await app.close()
    })
  }

  it("admits before a plugin's own hooks, so their answers are named too", async () => {
    const app = await serverWith({ plugins: [limiter] })
    const response = await app.inject({ url: '/limited', headers: { 'x-request-id': ID } })
    expect(response.statusCode).toBe(429)
    expect(response.headers['x-request-id']).toBe(ID)
    await app.close()
  })

  it('names a CORS preflight, which the CORS plugin answers from its own hook', async () => {
    const app = await serverWith({ cors: {} })
    const response = await app.inject({
      method: 'OPTIONS',
      url: '/actions/say-hello',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'GET',
        'x-request-id': ID,
      },
    })
    expect(response.statusCode).toBe(204)
    expect(response.headers['x-request-id']).toBe(ID)
    await app.close()
  })

  it('gives a fresh id to a request that brings none, the same in the header and the problem', async () => {
    const app = await serverWith({})
    const response = await app.inject({ url: '/nothing-here' })
    const id = response.headers['x-request-id']
    expect(id).toMatch(/^[0-9a-f]{16}-\d+$/)
    expect(response.json<{ requestId: string }>().requestId).toBe(id)
    await app.close()
  })
})
