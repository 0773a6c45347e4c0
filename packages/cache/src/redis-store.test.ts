import { action, createInvoker, createRegistry, createResultCache, ttl, Type } from '@servey/core'
import { afterAll, expect, it } from 'vitest'
import { createRedisStore } from './redis-store.ts'
import { describeRedis, REDIS_URL, uniquePrefix } from '@servey/testing/redis'

describeRedis('createRedisStore', () => {
  const prefix = `${uniquePrefix('cache')}:`
  const store = createRedisStore({ url: REDIS_URL })
  afterAll(async () => {
    await store.deleteByPrefix(prefix)
    await store.close()
  })

  it('sets, gets and expires values in Redis', async () => {
    await store.set(`${prefix}a`, '"one"', 60_000)
    expect(await store.get(`${prefix}a`)).toBe('"one"')
    const ttlMs = await store.client.pttl(`${prefix}a`)
    expect(ttlMs).toBeGreaterThan(50_000)
    await store.set(`${prefix}short`, '1', 20)
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(await store.get(`${prefix}short`)).toBeUndefined()
  })

  it('deletes by prefix only, glob characters included', async () => {
    await store.set(`${prefix}x*:1`, '1', 60_000)
    await store.set(`${prefix}x*:2`, '2', 60_000)
    await store.set(`${prefix}xy:1`, '3', 60_000)
    await store.deleteByPrefix(`${prefix}x*:`)
    expect(await store.get(`${prefix}x*:1`)).toBeUndefined()
    expect(await store.get(`${prefix}x*:2`)).toBeUndefined()
    expect(await store.get(`${prefix}xy:1`)).toBe('3')
  })

  it('backs the result cache: a hit skips the handler, invalidation brings it back', async () => {
    let calls = 0
    const registry = createRegistry({
      square: action(
        { params: Type.Object({ n: Type.Integer() }), cache: ttl(60, { server: true }) },
        ({ n }) => {
          calls++
          return n * n
        },
      ),
    })
    const cache = createResultCache({ store, prefix, registry })
    const invoker = createInvoker(registry, { plugins: [cache] })
    expect(await invoker.invoke({ action: 'square', input: { n: 4 } })).toEqual({
      ok: true,
      result: 16,
    })
    expect(await invoker.invoke({ action: 'square', input: { n: 4 } })).toEqual({
      ok: true,
      result: 16,
    })
    expect(calls).toBe(1)
    await cache.invalidate('square', { n: 4 })
    await invoker.invoke({ action: 'square', input: { n: 4 } })
    expect(calls).toBe(2)
  })
})

it('a Redis that does not answer only costs the cache, never the call', async () => {
  const store = createRedisStore({
    url: 'redis://127.0.0.1:1',
    redis: { retryStrategy: () => null },
  })
  const registry = createRegistry({
    cached: action({ cache: ttl(60, { server: true }) }, () => 'fresh'),
  })
  const invoker = createInvoker(registry, { plugins: [createResultCache({ store })] })
  expect(await invoker.invoke({ action: 'cached' })).toEqual({ ok: true, result: 'fresh' })
  store.client.disconnect()
})
