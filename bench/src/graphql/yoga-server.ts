// Child process: the baseline. The same schema written by hand for graphql-yoga, with the
// same resolvers, mounted on Fastify as yoga's Fastify guide shows.
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify'
import { createSchema, createYoga } from 'graphql-yoga'
import { announceReady } from '../lib/server-process.ts'
import { greet, listOrders } from './resolvers.ts'
import { ORDERS_SDL } from './sdl.ts'

type ServerContext = { req: FastifyRequest; reply: FastifyReply }

const schema = createSchema<ServerContext>({
  typeDefs: ORDERS_SDL,
  resolvers: {
    Query: {
      sayHello: (_source: unknown, { name }: { name: string }) => greet(name),
      orders: (_source: unknown, { count }: { count: number }) => listOrders(count),
    },
  },
})

const app = Fastify({ logger: false })
const yoga = createYoga<ServerContext>({ schema, logging: false })
// BENCH_YOGA_SEND=text answers as @servey/graphql does (the Response read as text and sent
// by Fastify), so the report can tell the send path apart from everything else.
if (process.env['BENCH_YOGA_SEND'] === 'text') {
  app.route({
    url: yoga.graphqlEndpoint,
    method: ['GET', 'POST'],
    handler: async (req, reply) => {
      const response = await yoga.handleNodeRequestAndResponse(req, reply, { req, reply })
      reply.status(response.status)
      response.headers.forEach((value, key) => {
        reply.header(key, value)
      })
      return reply.send(await response.text())
    },
  })
} else {
  app.route({
    url: yoga.graphqlEndpoint,
    method: ['GET', 'POST', 'OPTIONS'],
    handler: (req, reply) => yoga.handleNodeRequestAndResponse(req, reply, { req, reply }),
  })
}
const url = await app.listen({ port: 0, host: '127.0.0.1' })
announceReady(url, () => app.close())
