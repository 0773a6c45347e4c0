import type { CacheStore } from '@servey/core'
import { createMemoryStore, type MemoryStoreOptions } from './memory-store.ts'
import { createRedisStore } from './redis-store.ts'

export interface ChosenStore {
  readonly kind: 'memory' | 'redis'
  readonly store: CacheStore
  close(): Promise<void>
}

/**
 * The store a server should use: Redis when `REDIS_URL` is set (shared by every process),
 * else this process's memory. What `servey dev` and `servey start` do.
 */
export function cacheStoreFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  memory: MemoryStoreOptions = {},
): ChosenStore {
  const url = env['REDIS_URL']
  if (url !== undefined && url !== '') {
    const store = createRedisStore({ url })
    return { kind: 'redis', store, close: () => store.close() }
  }
  return { kind: 'memory', store: createMemoryStore(memory), close: () => Promise.resolve() }
}
