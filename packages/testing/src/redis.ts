/**
 * @module @servey/testing/redis: helpers for tests that need a real Redis. A subpath of its
 * own because importing it pings Redis: tests that do not need one must not pay for that.
 */
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { describe } from 'vitest'

export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379'

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    retryStrategy: () => null,
  })
  client.on('error', () => undefined)
  try {
    await client.connect()
    return (await client.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    client.disconnect()
  }
}

const available = await answers(REDIS_URL)
const required = process.env['SERVEY_REQUIRE_REDIS'] === '1'

/**
 * `describe` for tests that need Redis: skipped when it does not answer, unless CI asks for
 * it with SERVEY_REQUIRE_REDIS=1, and then they run and fail loudly.
 */
export const describeRedis: typeof describe =
  available || required ? describe : (describe.skip as typeof describe)

/** A key prefix of its own per test run, so runs never see each other's keys or queues. */
export function uniquePrefix(label = 'test'): string {
  return `servey-${label}-${randomUUID().slice(0, 8)}`
}

/** Deletes every key under the prefix. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
    cursor = next
    if (keys.length > 0) await redis.del(...keys)
  } while (cursor !== '0')
}

/** `deleteKeys` with a short-lived client of its own, for tests that have no Redis client. */
export async function deletePrefix(prefix: string, url = REDIS_URL): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 })
  try {
    await deleteKeys(client, prefix)
  } finally {
    client.disconnect()
  }
}

export { startPrivateRedis, type PrivateRedis } from './private-redis.ts'
