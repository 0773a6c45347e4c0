// The schemas both servers use. `Type` is TypeBox's builder (the `typebox` package, re-exported
// by @servey/core): its schemas are plain JSON Schema, which raw Fastify compiles directly.
import { Type } from '@servey/core'

export const SayHelloParams = Type.Object({ name: Type.String() })
export const SayHelloResult = Type.String()

/** A validated body of 5 fields, as issue 13 asks: string, integer, number, array, boolean. */
export const CreateOrderParams = Type.Object({
  item: Type.String({ minLength: 1, maxLength: 100 }),
  qty: Type.Integer({ minimum: 1, maximum: 1000 }),
  price: Type.Number({ minimum: 0 }),
  tags: Type.Array(Type.String(), { maxItems: 10 }),
  express: Type.Boolean(),
})

export const CreateOrderResult = Type.Object({
  id: Type.String(),
  item: Type.String(),
  qty: Type.Integer(),
  price: Type.Number(),
  tags: Type.Array(Type.String()),
  express: Type.Boolean(),
  status: Type.Literal('accepted'),
})

export interface Order {
  readonly item: string
  readonly qty: number
  readonly price: number
  readonly tags: readonly string[]
  readonly express: boolean
}

/** The business logic, shared so that both sides do exactly the same work. */
export function greet(name: string): string {
  return `Hello ${name}!`
}

export function acceptOrder(order: Order) {
  return {
    id: `order-${order.item}-${order.qty}`,
    item: order.item,
    qty: order.qty,
    price: order.price,
    tags: [...order.tags],
    express: order.express,
    status: 'accepted' as const,
  }
}
