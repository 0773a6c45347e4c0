// The app `pnpm bench rest` serves with `servey start --entry <this file>`: the two measured
// routes as a user declares them. Loaded by the CLI as any app's actions module is.
import { action, WEB_GET, WEB_POST } from '@servey/core'
import {
  CreateOrderParams,
  CreateOrderResult,
  SayHelloParams,
  SayHelloResult,
  acceptOrder,
  greet,
} from '../schemas.ts'

export const say_hello = action(
  { triggers: [WEB_GET], params: SayHelloParams, result: SayHelloResult },
  ({ name }) => greet(name),
)

export const create_order = action(
  { triggers: [WEB_POST], params: CreateOrderParams, result: CreateOrderResult },
  (order) => acceptOrder(order),
)
