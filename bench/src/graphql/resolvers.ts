// The work behind both GraphQL servers: the same functions answer on each side, so the
// comparison measures the servers, not the resolvers.
import { Type } from '@servey/core'

export const SayHelloParams = Type.Object({ name: Type.String() })
export const SayHelloResult = Type.String()

export const OrdersParams = Type.Object({ count: Type.Integer({ minimum: 0, maximum: 1000 }) })
export const Order = Type.Object(
  {
    id: Type.Integer(),
    item: Type.String(),
    qty: Type.Integer(),
    price: Type.Number(),
    express: Type.Boolean(),
    tags: Type.Array(Type.String()),
  },
  { $id: 'Order' },
)
export const OrdersResult = Type.Array(Order)

export interface OrderRecord {
  readonly id: number
  readonly item: string
  readonly qty: number
  readonly price: number
  readonly express: boolean
  readonly tags: string[]
}

export function greet(name: string): string {
  return `Hello ${name}!`
}

const ITEMS = ['book', 'pen', 'lamp', 'mug', 'chair']

export function listOrders(count: number): OrderRecord[] {
  const orders: OrderRecord[] = []
  for (let id = 1; id <= count; id++) {
    orders.push({
      id,
      item: ITEMS[id % ITEMS.length] as string,
      qty: (id % 5) + 1,
      price: Math.round(id * 137.5) / 100,
      express: id % 3 === 0,
      tags: id % 2 === 0 ? ['gift'] : ['gift', 'fragile'],
    })
  }
  return orders
}
