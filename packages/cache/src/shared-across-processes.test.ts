import { fileURLToPath } from 'node:url'
import { runTypeScript } from '@servey/testing'
import { afterAll, expect, it } from 'vitest'
import { createRedisStore } from './redis-store.ts'
import { describeRedis, REDIS_URL, uniquePrefix } from '@servey/testing/redis'

const child = fileURLToPath(new URL('./test-support/shared-cache-child.ts', import.meta.url))

interface ChildReport {
  pid: number
  ranHandler: boolean
  outcome: { ok: boolean; result: { pid: number } }
}

async function serveOnce(prefix: string): Promise<ChildReport> {
  const stdout = await runTypeScript(child, [REDIS_URL, prefix], { timeoutMs: 30_000 })
  return JSON.parse(stdout) as ChildReport
}

describeRedis('the server cache on Redis', () => {
  const prefix = uniquePrefix('cache')
  afterAll(async () => {
    const store = createRedisStore({ url: REDIS_URL })
    await store.deleteByPrefix(prefix)
    await store.close()
  })

  it("is shared by two processes: the second is answered with the first one's result", async () => {
    const first = await serveOnce(prefix)
    const second = await serveOnce(prefix)
    expect(first.pid).not.toBe(second.pid)
    expect(first.ranHandler).toBe(true)
    expect(first.outcome).toEqual({ ok: true, result: { pid: first.pid } })
    expect(second.ranHandler).toBe(false)
    expect(second.outcome).toEqual({ ok: true, result: { pid: first.pid } })
  }, 60_000)
})
