import {
  action,
  ActionError,
  channel,
  createChannelHub,
  createInvoker,
  createRegistry,
  Type,
} from '@servey/core'
import { describeRedis, REDIS_URL } from '@servey/testing/redis'
import { useRedisSuite } from '../test-support/redis-suite.ts'
import { expect, it } from 'vitest'
import { startScheduler } from '../create-scheduler.ts'
import { eventually, recordingLogger, sleep } from '../test-support/fixtures.ts'

describeRedis('channel handlers on BullMQ', () => {
  const { prefix, open, redis } = useRedisSuite('handlers')

  it('enqueues each selected handler on Redis, with its delay, retries and filters', async () => {
    const ran: Array<{ name: string; at: number; attempt: number }> = []
    let failures = 0
    const Signup = Type.Object({ email: Type.String(), vip: Type.Boolean() })
    const welcome = action({ params: Signup, result: Type.Null() }, function welcome(_signup) {
      ran.push({ name: 'welcome', at: Date.now(), attempt: 0 })
      return null
    })
    const vip_call = action({ params: Signup, result: Type.Null() }, function vip_call() {
      failures++
      if (failures < 3) throw new ActionError('UNAVAILABLE', 'phone busy')
      ran.push({ name: 'vip_call', at: Date.now(), attempt: failures })
      return null
    })
    const count = action(
      { params: Type.Object({ email: Type.String(), id: Type.String() }), result: Type.Null() },
      function count({ id }) {
        ran.push({ name: `count:${id}`, at: Date.now(), attempt: 0 })
        return null
      },
    )
    const signups = channel('signups', {
      payload: Signup,
      handlers: [
        {
          action: count,
          group: -1,
          params: (signup, meta) => ({ email: signup.email, id: meta.id }),
        },
        { action: vip_call, filter: (signup) => signup.vip, attempts: 3, backoff: 30 },
        { action: welcome, delay: 300 },
      ],
    })
    const registry = createRegistry({ signups, welcome, vip_call, count })
    const log = recordingLogger()
    const invoker = createInvoker(registry, { log })
    const scheduler = await startScheduler({
      invoker,
      log,
      redisUrl: REDIS_URL,
      prefix,
      queue: 'signups',
      shutdownTimeout: 2000,
    })
    const hub = createChannelHub(registry, {
      log,
      handlers: { jobs: scheduler.jobs, webhooks: scheduler.webhooks },
    })
    open.push(hub, scheduler)
    expect(scheduler.mode).toBe('redis')

    const published = Date.now()
    const vip = await hub.publish(signups, { email: 'v@example.com', vip: true })
    const plain = await hub.publish(signups, { email: 'p@example.com', vip: false })
    await eventually(() => (ran.length === 4 ? true : undefined), 10_000)
    await sleep(200)
    const names = ran.map((entry) => entry.name)
    expect(names.sort()).toEqual(
      [`count:${plain.id}`, `count:${vip.id}`, 'vip_call', 'welcome'].sort(),
    )
    // vip took vip_call (the first match of group 0), after two retryable failures; plain fell
    // through to welcome, which waited out its delay.
    expect(ran.find((entry) => entry.name === 'vip_call')?.attempt).toBe(3)
    expect(ran.find((entry) => entry.name === 'welcome')!.at - published).toBeGreaterThanOrEqual(
      290,
    )
    // The jobs are BullMQ's: on the queue under this test's prefix.
    const keys = await redis().keys(`${prefix}:signups:*`)
    expect(keys.length).toBeGreaterThan(0)
  })

  it('runs the groups one after another across the queue, even with several jobs at once', async () => {
    const timeline: string[] = []
    const slow = (name: string, ms: number) =>
      action({ name, params: Type.Object({ n: Type.Number() }), result: Type.Null() }, async () => {
        timeline.push(`${name}:start`)
        await sleep(ms)
        timeline.push(`${name}:end`)
        return null
      })
    const early = slow('early', 150)
    const late = slow('late', 0)
    const steps = channel('steps', {
      payload: Type.Object({ n: Type.Number() }),
      handlers: [
        { action: late, group: 1 },
        { action: early, group: -1 },
      ],
    })
    const registry = createRegistry({ steps, early, late })
    const log = recordingLogger()
    const scheduler = await startScheduler({
      invoker: createInvoker(registry, { log }),
      log,
      redisUrl: REDIS_URL,
      prefix,
      queue: 'steps',
      concurrency: 10,
      shutdownTimeout: 2000,
    })
    const hub = createChannelHub(registry, {
      log,
      handlers: { jobs: scheduler.jobs, webhooks: scheduler.webhooks },
    })
    open.push(hub, scheduler)
    await hub.publish(steps, { n: 1 })
    await eventually(() => (timeline.length === 4 ? true : undefined), 10_000)
    expect(timeline).toEqual(['early:start', 'early:end', 'late:start', 'late:end'])
  })
})
