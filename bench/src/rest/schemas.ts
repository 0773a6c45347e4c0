// The schemas both servers use. `Type` is TypeBox's builder (the `typebox` package, re-exported
// by @servey/core): its schemas are plain JSON Schema, which raw Fastify compiles directly.
import { Type } from '@servey/core'

export const SayHelloParams = Type.Object({ name: Type.String() })
export const SayHelloResult = Type.String()

export const CreateOrderParams = Type.Object({
  item: Type.String(),
  qty: Type.Integer({ minimum: 1 }),
  tags: Type.Array(Type.String()),
})

export const CreateOrderResult = Type.Object({
  id: Type.String(),
  item: Type.String(),
  qty: Type.Integer(),
  tags: Type.Array(Type.String()),
  status: Type.Literal('accepted'),
})

export interface Order {
  readonly item: string
  readonly qty: number
  readonly tags: readonly string[]
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
    tags: [...order.tags],
    status: 'accepted' as const,
  }
}
