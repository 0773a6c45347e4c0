import { deleteKeys, REDIS_URL, uniquePrefix } from '@servey/testing/redis'
import { Redis } from 'ioredis'
import { afterAll, afterEach } from 'vitest'

/** What a test opens (a scheduler, a queue, a hub) and the suite closes after it. */
export interface Closable {
  close(): Promise<void>
}

export interface RedisSuite {
  /** The file's own key prefix: its queues and keys never meet another run's. */
  readonly prefix: string
  /** Push what a test opens here: it is closed after that test, even when the test fails. */
  readonly open: Closable[]
  /** The file's one client, for tests that look at the keys themselves (made on first use). */
  redis(): Redis
}

/**
 * The set-up every BullMQ test file needs, written once: a key prefix of its own, what each
 * test opened closed after it, and every key under the prefix deleted after the file. Call it
 * at the top of a `describeRedis` block.
 */
export function useRedisSuite(label?: string): RedisSuite {
  const prefix = uniquePrefix(label)
  const open: Closable[] = []
  let client: Redis | undefined
  const redis = (): Redis => (client ??= new Redis(REDIS_URL))
  afterEach(async () => {
    await Promise.all(open.splice(0).map((item) => item.close()))
  })
  afterAll(async () => {
    await deleteKeys(redis(), prefix)
    await redis().quit()
  })
  return { prefix, open, redis }
}
