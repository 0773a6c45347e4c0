import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deletePrefix, describeRedis, REDIS_URL, uniquePrefix } from '@servey/testing/redis'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import {
  fixture,
  runServey,
  startServey,
  type ServeyProcess,
} from '../test-support/servey-process.ts'

async function until<T>(check: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

// With REDIS_URL, `servey run` hands its channels' background actions to BullMQ, where they
// are durable and any `servey worker` runs them; it does not run them itself.
describeRedis('servey run with REDIS_URL enqueues the channel handlers for the workers', () => {
  const prefix = uniquePrefix('cli-run-handlers')
  let dir: string
  let env: Record<string, string>
  let worker: ServeyProcess | undefined
  let redis: Redis

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'servey-run-handlers-redis-'))
    env = {
      REDIS_URL,
      SERVEY_JOBS_PREFIX: prefix,
      SERVEY_CHANNELS_PREFIX: prefix,
      RUN_HANDLERS_TRACE: join(dir, 'trace'),
      // No webhook receiver here: the address is refused at once (exit 3 names it).
      NOTES_WEBHOOK_URL: 'http://127.0.0.1:9/notes',
      LOG_LEVEL: 'error',
    }
    redis = new Redis(REDIS_URL)
  })

  afterAll(async () => {
    await worker?.stop('SIGKILL')
    redis.disconnect()
    await deletePrefix(prefix)
    await rm(dir, { recursive: true, force: true })
  })

  it('leaves the job in the queue, and a servey worker started later runs the chain', async () => {
    const result = await runServey(['run', '--action=add_note', '--event={"text":"queued"}'], {
      cwd: fixture('run-handlers'),
      env,
      timeoutMs: 30_000,
    })
    expect(result.stdout).toMatch(/^"\d+-\d+"\n$/)
    // Only the webhook, delivered from this process, could fail: 127.0.0.1 is not allowed.
    expect(result.stderr).toMatch(/^BAD_REQUEST: the webhook of channel notes /m)
    expect(result.stderr).not.toMatch(/channel handler/)
    expect(result.code).toBe(3)
    // The first group's job waits in Redis; nothing ran it.
    expect(await redis.llen(`${prefix}:servey:wait`)).toBe(1)
    await expect(readFile(env['RUN_HANDLERS_TRACE']!, 'utf8')).rejects.toThrow(/ENOENT/)

    worker = startServey(['worker'], { cwd: fixture('run-handlers'), env })
    const lines = await until(async () => {
      const text = await readFile(env['RUN_HANDLERS_TRACE']!, 'utf8').catch(() => '')
      return text.includes('second:') ? text.split('\n').filter(Boolean) : undefined
    })
    expect(lines).toEqual(['first:queued', 'second:queued'])
  }, 90_000)
})
