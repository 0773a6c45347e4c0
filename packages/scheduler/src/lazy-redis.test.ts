import { fileURLToPath } from 'node:url'
import { probePackageLoads, runTypeScript } from '@servey/testing'
import { describe, expect, it } from 'vitest'

const MAIN = fileURLToPath(new URL('./test-support/in-process-scheduler-main.ts', import.meta.url))

async function packagesLoaded(env: Record<string, string>): Promise<string[]> {
  const { REDIS_URL: _redis, ...rest } = process.env
  const probe = probePackageLoads(['bullmq'])
  await runTypeScript(MAIN, [], { env: { ...rest, ...probe.env, ...env }, timeoutMs: 60_000 })
  return probe.loaded()
}

describe('the scheduler without Redis', () => {
  it('never loads BullMQ (about 120 ms of start-up CPU)', { timeout: 90_000 }, async () => {
    expect(await packagesLoaded({})).toEqual([])
  })

  it(
    'is watched by a probe that does see a load when there is one',
    { timeout: 90_000 },
    async () => {
      expect(await packagesLoaded({ IMPORT_TOO: 'bullmq' })).toEqual(['bullmq'])
    },
  )
})
