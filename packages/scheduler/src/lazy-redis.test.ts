import { fileURLToPath } from 'node:url'
import { runTypeScript } from '@servey/testing'
import { describe, expect, it } from 'vitest'

const MAIN = fileURLToPath(new URL('./test-support/loaded-packages-main.ts', import.meta.url))

async function packagesLoaded(env: Record<string, string>): Promise<string[]> {
  const { REDIS_URL: _redis, ...rest } = process.env
  const stdout = await runTypeScript(MAIN, [], {
    env: { ...rest, WATCH: 'bullmq,ioredis', ...env },
    timeoutMs: 60_000,
  })
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]') as string[]
}

describe('the scheduler without Redis', () => {
  it('never loads BullMQ (about 120 ms of start-up CPU)', { timeout: 90_000 }, async () => {
    expect(await packagesLoaded({})).not.toContain('bullmq')
  })

  it(
    'is watched by a probe that does see a load when there is one',
    { timeout: 90_000 },
    async () => {
      expect(await packagesLoaded({ IMPORT_TOO: 'bullmq' })).toContain('bullmq')
    },
  )
})
