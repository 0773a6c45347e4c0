import { appendFileSync } from 'node:fs'
import { action, channel, Type } from '@servey/core'

const Order = Type.Object({ id: Type.String(), total: Type.Number() })

/**
 * A background action of the `orders` channel. It writes what it shipped to the file named by
 * SHIPPED_FILE, so a test that runs the bundled `servey_jobs` consumer (its own copy of every
 * module) can see the job ran, as whom, and with which params.
 */
export const ship = action(
  { params: Order, result: Type.Null(), description: 'Ship an order' },
  ({ id, total }, context) => {
    const who = context.authorization?.scopes.join('+') ?? 'anonymous'
    appendFileSync(process.env['SHIPPED_FILE'] ?? '/dev/null', `${id}:${total}:${who}\n`)
    return null
  },
)

/** The background action ships; then (group 1) the warehouse's webhook hears of the order. */
export const orders = channel('orders', {
  payload: Order,
  handlers: [
    { action: ship, scopes: ['warehouse'] },
    { webhook: 'https://warehouse.example.com/orders', group: 1, timeout: '20s' },
  ],
})

export const place_order = action(
  { params: Order, result: Type.String(), description: 'Place an order' },
  async (order, context) => (await context.publish(orders, order)).id,
)
