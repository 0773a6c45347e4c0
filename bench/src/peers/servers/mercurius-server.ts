// Child process: Mercurius, Fastify's GraphQL plugin, with the SDL and resolvers of
// `pnpm bench graphql`'s yoga baseline, registered as Mercurius's quick start shows (its
// defaults: query parsing and validation cached, graphql-jit off).
import Fastify from 'fastify'
import mercurius from 'mercurius'
import { announceReady } from '../../lib/server-process.ts'
import { greet, listOrders } from '../../graphql/resolvers.ts'
import { ORDERS_SDL } from '../../graphql/sdl.ts'

const app = Fastify({ logger: false })
await app.register(mercurius, {
  schema: ORDERS_SDL,
  resolvers: {
    Query: {
      sayHello: (_source: unknown, { name }: { name: string }) => greet(name),
      orders: (_source: unknown, { count }: { count: number }) => listOrders(count),
    },
  },
})
const url = await app.listen({ port: 0, host: '127.0.0.1' })
announceReady(url, () => app.close())
