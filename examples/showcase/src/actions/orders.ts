import { action, channel, Type, WEB_GET, WEB_POST } from '@servey/core'

const Order = Type.Object({
  id: Type.String(),
  total: Type.Number({ minimum: 0 }),
  express: Type.Boolean(),
})

// What the handlers did, in the order they ran (in memory, for the showcase): the last 1,000
// steps only, so a server that takes orders for days does not grow without bound.
const journal: string[] = []
const JOURNAL_LIMIT = 1_000

const step = (name: string, description: string) =>
  action({ name, params: Order, result: Type.Null(), description }, ({ id }) => {
    journal.push(`${name}:${id}`)
    if (journal.length > JOURNAL_LIMIT) journal.splice(0, journal.length - JOURNAL_LIMIT)
    return null
  })

export const hold_for_review = step('hold_for_review', 'Hold a large order placed anonymously')
export const record_order = step('record_order', 'Write every order to the ledger')
export const ship_express = step('ship_express', 'Ship an express order by courier')
export const ship_standard = step('ship_standard', 'Ship an order by post')

/**
 * Two handler groups and filters (AsyncAPY's rules): group 0 runs first and records the order,
 * unless a large anonymous order is held, which stops the later group; in group 1 the first
 * matching handler ships it: by courier when express, else by post.
 */
export const orders = channel('orders', {
  payload: Order,
  description: 'Placed orders, handled by background actions in two groups',
  handlers: [
    {
      action: hold_for_review,
      filter: (order, publisher) => order.total >= 1000 && publisher === null,
      stop: true,
    },
    { action: record_order },
    { action: ship_express, group: 1, filter: (order) => order.express },
    { action: ship_standard, group: 1 },
  ],
})

export const place_order = action(
  {
    triggers: [WEB_POST],
    publishes: [orders],
    params: Order,
    result: Type.Object({ event: Type.String() }),
    description: 'Place an order: published to orders, whose handlers record and ship it',
  },
  async (order, context) => ({ event: (await context.publish(orders, order)).id }),
)

export const order_journal = action(
  {
    triggers: [WEB_GET],
    result: Type.Array(Type.String()),
    description: 'What the orders handlers did so far, in order',
  },
  () => [...journal],
)
