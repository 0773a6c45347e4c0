import { action, createInvoker, createRegistry, ttl } from '@servey/core'
import { describe, expect, it } from 'vitest'
import { serverCache } from './server-cache.ts'

describe('serverCache', () => {
  it('keeps results in memory without REDIS_URL, fresh for every dev reload', async () => {
    let calls = 0
    const registry = createRegistry({
      counted: action({ cache: ttl(60, { server: true }) }, () => ++calls),
    })
    const cache = serverCache({}, true)
    expect(cache.kind).toBe('memory')
    const first = createInvoker(registry, { plugins: [cache.pluginFor(registry)] })
    await first.invoke({ action: 'counted' })
    expect(await first.invoke({ action: 'counted' })).toEqual({ ok: true, result: 1 })
    const reloaded = createInvoker(registry, { plugins: [cache.pluginFor(registry)] })
    expect(await reloaded.invoke({ action: 'counted' })).toEqual({ ok: true, result: 2 })
    await cache.close()
  })

  it('chooses Redis when REDIS_URL is set', async () => {
    const cache = serverCache({ REDIS_URL: 'redis://127.0.0.1:6379' }, false)
    expect(cache.kind).toBe('redis')
    await cache.close()
  })
})
