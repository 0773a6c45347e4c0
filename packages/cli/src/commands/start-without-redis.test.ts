import { PROCESS_START_TIMEOUT_MS, probePackageLoads } from '@servey/testing'
import { describe, expect, it } from 'vitest'
import { fixture, runServey, startServey } from '../test-support/servey-process.ts'

const WATCHED = ['bullmq', 'ioredis']

describe('servey start without REDIS_URL', () => {
  it(
    'loads neither BullMQ nor ioredis (about 170 ms of start-up CPU)',
    { timeout: PROCESS_START_TIMEOUT_MS + 15_000 },
    async () => {
      const probe = probePackageLoads(WATCHED)
      const servey = startServey(['start', '--port', '0'], {
        cwd: fixture('hello'),
        env: { ...probe.env, REDIS_URL: undefined },
      })
      await servey.serving()
      await servey.stop('SIGTERM')
      expect(probe.loaded()).toEqual([])
    },
  )

  it('is checked by a probe that sees ioredis when a REDIS_URL makes start load it', async () => {
    const probe = probePackageLoads(WATCHED)
    // Nothing listens on port 1: start loads ioredis to check Redis, then exits with its code.
    const result = await runServey(['start', '--port', '0'], {
      cwd: fixture('hello'),
      env: { ...probe.env, REDIS_URL: 'redis://127.0.0.1:1' },
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('SERVEY_ERR_CLI_REDIS_UNREACHABLE')
    expect(probe.loaded()).toContain('ioredis')
  })
})
