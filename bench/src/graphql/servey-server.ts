// Child process: the Servey side. The same two fields, declared as actions and served by
// @servey/graphql on Fastify. BENCH_GRAPHQL_JIT=1 turns on graphql-jit.
import { action, createInvoker, createRegistry, WEB_GET } from '@servey/core'
import { serveyGraphql } from '@servey/graphql'
import Fastify from 'fastify'
import { announceReady } from '../lib/server-process.ts'
import {
  OrdersParams,
  OrdersResult,
  SayHelloParams,
  SayHelloResult,
  greet,
  listOrders,
} from './resolvers.ts'

const actions = {
  say_hello: action(
    { triggers: [WEB_GET], params: SayHelloParams, result: SayHelloResult },
    ({ name }) => greet(name),
  ),
  orders: action({ triggers: [WEB_GET], params: OrdersParams, result: OrdersResult }, ({ count }) =>
    listOrders(count),
  ),
}

const app = Fastify({ logger: false })
await app.register(serveyGraphql, {
  invoker: createInvoker(createRegistry(actions), { validateResult: false }),
  jit: process.env['BENCH_GRAPHQL_JIT'] === '1',
})
const url = await app.listen({ port: 0, host: '127.0.0.1' })
announceReady(url, () => app.close())
