import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, expect, it } from 'vitest'
import { createRedisStore } from './redis-store.ts'
import { describeRedis, REDIS_URL, uniquePrefix } from '@servey/testing/redis'

const run = promisify(execFile)
const here = dirname(fileURLToPath(import.meta.url))
const child = join(here, 'test-support', 'shared-cache-child.ts')

/** The workspace's tsx launcher, found the way a shell would from this package. */
function findTsx(): string {
  for (let dir = here; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', '.bin', 'tsx')
    if (existsSync(candidate)) return candidate
  }
  throw new Error('tsx is not installed in this workspace (pnpm install)')
}

interface ChildReport {
  pid: number
  ranHandler: boolean
  outcome: { ok: boolean; result: { pid: number } }
}

async function serveOnce(prefix: string): Promise<ChildReport> {
  const { stdout } = await run(findTsx(), [child, REDIS_URL, prefix], { timeout: 30_000 })
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
