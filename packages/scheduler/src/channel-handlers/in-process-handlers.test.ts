import {
  action,
  ActionError,
  channel,
  createChannelHub,
  createInvoker,
  createRegistry,
  Type,
  type Authorization,
} from '@servey/core'
import { afterEach, describe, expect, it } from 'vitest'
import { startScheduler } from '../create-scheduler.ts'
import { eventually, recordingLogger, sleep } from '../test-support/fixtures.ts'

const Order = Type.Object({ id: Type.String(), total: Type.Number(), spam: Type.Boolean() })

/** An app whose handlers record what ran, in order; a real invoker and in-process jobs. */
function orderApp() {
  const ran: string[] = []
  const step = (name: string) =>
    action({ name, params: Order, result: Type.Null() }, ({ id }, context) => {
      ran.push(`${name}:${id}:${context.authorization?.scopes.join('+') ?? 'anonymous'}`)
      return null
    })
  const drop_spam = step('drop_spam')
  const audit = step('audit')
  const ship_big = step('ship_big')
  const ship = step('ship')
  const thank = step('thank')
  const orders = channel('orders', {
    payload: Order,
    handlers: [
      { action: drop_spam, group: -1, filter: (order) => order.spam, stop: true },
      { action: audit, group: -1, scopes: ['audit'] },
      { action: ship_big, filter: (order) => order.total >= 100 },
      { action: ship },
      {
        action: thank,
        group: 1,
        filter: (_order, publisher) => publisher !== null,
      },
    ],
  })
  const place_order = action(
    { params: Order, result: Type.String() },
    async (order, context) => (await context.publish(orders, order)).id,
  )
  return {
    ran,
    actions: { orders, drop_spam, audit, ship_big, ship, thank, place_order },
  }
}

describe('channel handlers on in-process jobs', () => {
  const open: Array<{ close(): Promise<void> }> = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map((item) => item.close()))
  })

  async function serve(actions: Record<string, unknown>) {
    const registry = createRegistry(actions)
    const log = recordingLogger()
    // Handlers publish through the hub bound to their channels (createChannelHub binds them).
    const invoker = createInvoker(registry, { log })
    const scheduler = await startScheduler({ invoker, log, shutdownTimeout: 2000 })
    const jobIds: string[] = []
    const hub = createChannelHub(registry, {
      log,
      handlers: {
        jobs: {
          ...scheduler.jobs,
          enqueue: async (request) => {
            const id = await scheduler.jobs.enqueue(request)
            jobIds.push(id)
            return id
          },
        },
        webhooks: scheduler.webhooks,
      },
    })
    open.push(hub, scheduler)
    return { hub, invoker, scheduler, log, jobIds }
  }

  const alice: Authorization = { subject: 'alice', scopes: [], claims: { sub: 'alice' } }

  it('runs the handlers an event selects, group by group, as the system caller', async () => {
    const app = orderApp()
    const { invoker } = await serve(app.actions)
    const small = { id: 'o1', total: 20, spam: false }
    const outcome = await invoker.invoke({
      action: 'place_order',
      input: small,
      authorization: alice,
    })
    expect(outcome.ok).toBe(true)
    // audit (group -1, second: the spam filter did not match), ship (group 0: ship_big's
    // filter did not match), thank (group 1: the publisher is a user).
    await eventually(() => (app.ran.length === 3 ? true : undefined))
    expect(app.ran).toEqual(['audit:o1:audit', 'ship:o1:', 'thank:o1:'])
  })

  it('takes the first matching handler of a group, and stops later groups', async () => {
    const app = orderApp()
    const { invoker } = await serve(app.actions)
    await invoker.invoke({ action: 'place_order', input: { id: 'big', total: 500, spam: false } })
    await invoker.invoke({ action: 'place_order', input: { id: 'junk', total: 500, spam: true } })
    await eventually(() => (app.ran.length === 3 ? true : undefined))
    await sleep(100)
    // Anonymous publisher: no thank-you. Spam: drop_spam stops the rest.
    expect(app.ran).toEqual(['audit:big:audit', 'ship_big:big:', 'drop_spam:junk:'])
  })

  it('waits out a delay, and retries a retryable failure with backoff', async () => {
    const attempts: number[] = []
    const flaky = action(
      { params: Type.Object({ n: Type.Number() }), result: Type.Null() },
      function flaky() {
        attempts.push(Date.now())
        if (attempts.length < 3) throw new ActionError('UNAVAILABLE', 'not yet')
        return null
      },
    )
    const ticks = channel('ticks', {
      payload: Type.Number(),
      handlers: [{ action: flaky, params: (n) => ({ n }), delay: 150, attempts: 3, backoff: 40 }],
    })
    const { hub } = await serve({ ticks, flaky })
    const published = Date.now()
    await hub.publish(ticks, 1)
    await eventually(() => (attempts.length === 3 ? true : undefined))
    expect(attempts[0]! - published).toBeGreaterThanOrEqual(140)
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(35)
    expect(attempts[2]! - attempts[1]!).toBeGreaterThanOrEqual(75)
  })

  it('gives up after its attempts, and never retries a non-retryable failure', async () => {
    let calls = 0
    const broken = action({ params: Type.Object({ n: Type.Number() }) }, function broken({ n }) {
      calls++
      throw new ActionError(n > 0 ? 'UNAVAILABLE' : 'BAD_REQUEST', 'no')
    })
    const ticks = channel('ticks', {
      payload: Type.Object({ n: Type.Number() }),
      handlers: [{ action: broken, attempts: 2, backoff: 10 }],
    })
    const { hub } = await serve({ ticks, broken })
    await hub.publish(ticks, { n: 1 })
    await eventually(() => (calls === 2 ? true : undefined))
    await sleep(100)
    expect(calls).toBe(2)
    await hub.publish(ticks, { n: 0 })
    await eventually(() => (calls === 3 ? true : undefined))
    await sleep(100)
    expect(calls).toBe(3)
  })

  it('a handler whose params do not fit its action fails as a job, not at the publisher', async () => {
    const strict = action({ params: Type.Object({ other: Type.String() }) }, function strict() {
      return null
    })
    const news = channel('news', {
      payload: Type.Object({ title: Type.String() }),
      handlers: [{ action: strict }],
    })
    const { hub, scheduler, jobIds } = await serve({ news, strict })
    const published = await hub.publish(news, { title: 'x' })
    expect(published.id).toMatch(/^\d+-\d+$/)
    const state = await eventually(async () => {
      const job = await scheduler.jobs.get(jobIds[0]!)
      return job?.status === 'failed' ? job : undefined
    })
    expect(state).toMatchObject({ action: 'strict', error: { code: 'INVALID_PARAMS' } })
  })

  it('runs each group after the previous group has finished, whatever its outcome', async () => {
    const timeline: string[] = []
    const slow = (name: string, ms: number, fail = false) =>
      action({ name, params: Type.Object({ n: Type.Number() }), result: Type.Null() }, async () => {
        timeline.push(`${name}:start`)
        await sleep(ms)
        timeline.push(`${name}:end`)
        if (fail) throw new ActionError('BAD_REQUEST', 'refused')
        return null
      })
    const first = slow('first', 120, true)
    const second = slow('second', 60)
    const third = slow('third', 0)
    const steps = channel('steps', {
      payload: Type.Object({ n: Type.Number() }),
      handlers: [
        { action: third, group: 5 },
        { action: second, group: 0 },
        { action: first, group: -3 },
      ],
    })
    const { hub } = await serve({ steps, first, second, third })
    await hub.publish(steps, { n: 1 })
    await eventually(() => (timeline.length === 6 ? true : undefined))
    // The first group fails (not retryable): the chain goes on.
    expect(timeline).toEqual([
      'first:start',
      'first:end',
      'second:start',
      'second:end',
      'third:start',
      'third:end',
    ])
  })
})
