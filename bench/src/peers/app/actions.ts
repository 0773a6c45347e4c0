// The app `pnpm bench peers` serves with `servey start --entry <this file>`: the two REST
// actions of `pnpm bench rest` and the 100-item list of `pnpm bench graphql`, declared once
// each; the GraphQL field `orders` comes from the same action as its REST route.
import { action, WEB_GET } from '@servey/core'
import { OrdersParams, OrdersResult, listOrders } from '../../graphql/resolvers.ts'

export { say_hello, create_order } from '../../rest/app/actions.ts'

export const orders = action(
  { triggers: [WEB_GET], params: OrdersParams, result: OrdersResult },
  ({ count }) => listOrders(count),
)
