import { createRequire } from 'node:module'
import type { CacheStore } from '@servey/core'
import type { Redis, RedisOptions } from 'ioredis'

// ioredis is loaded with the first store that opens a connection, not with this package: the
// package is imported by every `servey start`, and loading ioredis cost about 55 ms of CPU at
// start-up in a server without Redis (BENCHMARKS.md, 2026-12-07 21:35). `require`, not
// `import()`, keeps `createRedisStore` synchronous; ioredis is CommonJS.
const load = createRequire(import.meta.url)
const redisClass = (): typeof Redis => (load('ioredis') as { Redis: typeof Redis }).Redis

export interface RedisStoreOptions {
  /** Default `REDIS_URL`, else `redis://127.0.0.1:6379`. Ignored when `client` is given. */
  readonly url?: string
  /** Use this connection instead of opening one; `close()` then leaves it open. */
  readonly client?: Redis
  /** Passed to ioredis when the store opens its own connection. */
  readonly redis?: RedisOptions
}

export interface RedisStore extends CacheStore {
  readonly client: Redis
  /** Close the connection the store opened itself. */
  close(): Promise<void>
}

// `*`, `?`, `[` and `\` mean something in a SCAN pattern; a prefix must match only itself.
const escapeGlob = (text: string): string => text.replace(/[*?[\]\\]/g, '\\$&')

/**
 * Results in Redis, shared by every server process: a result computed by one is a hit in all
 * the others. Entries expire in Redis itself (`SET ... PX`). Commands fail fast when Redis is
 * down, and the result cache then skips the store instead of failing the call.
 */
export function createRedisStore(options: RedisStoreOptions = {}): RedisStore {
  const owned = options.client === undefined
  const client =
    options.client ??
    new (redisClass())(options.url ?? process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', {
      // A cache must not hold a request hostage: one retry, then the handler runs instead.
      maxRetriesPerRequest: 1,
      commandTimeout: 1000,
      ...options.redis,
    })
  // Failures reach the caller through each command; the event would only be printed twice.
  if (owned) client.on('error', () => undefined)
  return {
    client,
    async get(key) {
      return (await client.get(key)) ?? undefined
    },
    async set(key, value, ttlMs) {
      await client.set(key, value, 'PX', Math.max(1, Math.round(ttlMs)))
    },
    async deleteByPrefix(prefix) {
      // SCAN, not KEYS: it never blocks Redis for the other clients.
      let cursor = '0'
      do {
        const [next, keys] = await client.scan(
          cursor,
          'MATCH',
          `${escapeGlob(prefix)}*`,
          'COUNT',
          500,
        )
        if (keys.length > 0) await client.unlink(...keys)
        cursor = next
      } while (cursor !== '0')
    },
    async close() {
      if (owned) await client.quit()
    },
  }
}
