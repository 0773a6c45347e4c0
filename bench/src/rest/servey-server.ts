// Child process: the Servey side. Same two routes, declared as actions and served by @servey/rest.
import { action, createInvoker, createRegistry, WEB_GET, WEB_POST } from '@servey/core'
import { createServer } from '@servey/rest'
import { announceReady } from '../lib/server-process.ts'
import {
  CreateOrderParams,
  CreateOrderResult,
  SayHelloParams,
  SayHelloResult,
  acceptOrder,
  greet,
} from './schemas.ts'

const actions = {
  say_hello: action(
    { triggers: [WEB_GET], params: SayHelloParams, result: SayHelloResult },
    ({ name }) => greet(name),
  ),
  create_order: action(
    { triggers: [WEB_POST], params: CreateOrderParams, result: CreateOrderResult },
    (order) => acceptOrder(order),
  ),
}

const app = await createServer({
  invoker: createInvoker(createRegistry(actions), { validateResult: false }),
  docs: false,
  logger: false,
})
const url = await app.listen({ port: 0, host: '127.0.0.1' })
announceReady(url, () => app.close())
