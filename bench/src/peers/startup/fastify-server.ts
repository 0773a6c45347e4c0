// Start-up: raw Fastify with 100 routes, each with the JSON schemas of `pnpm bench rest`'s
// say-hello (Fastify compiles each route's validator and serializer when it starts).
import Fastify from 'fastify'
import { announceReady } from '../../lib/server-process.ts'
import { SayHelloParams, SayHelloResult, greet } from '../../rest/schemas.ts'
import { STARTUP_ROUTES, portFromEnv, startupPath } from './routes.ts'

const app = Fastify({ logger: false })
for (let index = 0; index < STARTUP_ROUTES; index++) {
  app.get<{ Querystring: { name: string } }>(
    startupPath(index),
    { schema: { querystring: SayHelloParams, response: { 200: SayHelloResult } } },
    async (request, reply) =>
      reply.type('application/json; charset=utf-8').send(JSON.stringify(greet(request.query.name))),
  )
}
const url = await app.listen({ port: portFromEnv(), host: '127.0.0.1' })
announceReady(url, () => app.close())
