import { PROCESS_START_TIMEOUT_MS } from '@servey/testing'
import { describe, expect, it } from 'vitest'
import { fixture, runServey, startServey } from '../test-support/servey-process.ts'

const PROBE = new URL('../test-support/loaded-packages-probe.mjs', import.meta.url).href

/** The packages among `watch` that `servey start` loaded, from the probe's line at its exit. */
async function packagesLoadedByStart(env: Record<string, string | undefined>): Promise<string[]> {
  const servey = startServey(['start', '--port', '0'], {
    cwd: fixture('hello'),
    env: { NODE_OPTIONS: `--import ${PROBE}`, WATCH_PACKAGES: 'bullmq,ioredis', ...env },
  })
  await servey.serving()
  await servey.stop('SIGTERM')
  const lines = [...servey.stderr().matchAll(/^loaded packages: (.*)$/gm)]
  expect(lines.length).toBeGreaterThan(0)
  return lines.flatMap((line) => JSON.parse(line[1] as string) as string[])
}

describe('servey start without REDIS_URL', () => {
  it(
    'loads neither BullMQ nor ioredis (about 170 ms of start-up CPU)',
    { timeout: PROCESS_START_TIMEOUT_MS + 15_000 },
    async () => {
      expect(await packagesLoadedByStart({ REDIS_URL: undefined })).toEqual([])
    },
  )

  it('is checked by a probe that sees ioredis when a REDIS_URL makes start load it', async () => {
    // Nothing listens on port 1: start loads ioredis to check Redis, then exits with its code.
    const result = await runServey(['start', '--port', '0'], {
      cwd: fixture('hello'),
      env: {
        NODE_OPTIONS: `--import ${PROBE}`,
        WATCH_PACKAGES: 'bullmq,ioredis',
        REDIS_URL: 'redis://127.0.0.1:1',
      },
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('SERVEY_ERR_CLI_REDIS_UNREACHABLE')
    expect(result.stderr).toMatch(/^loaded packages: .*"ioredis"/m)
  })
})
