/**
 * @module @servey/cache: stores for the server-side result cache of `@servey/core`
 * (`createResultCache`): an in-memory LRU by default, Redis to share results between
 * processes.
 */
export { createMemoryStore, type MemoryStore, type MemoryStoreOptions } from './memory-store.ts'
export { createRedisStore, type RedisStore, type RedisStoreOptions } from './redis-store.ts'
export { cacheStoreFromEnv, type ChosenStore } from './store-from-env.ts'
export { cacheDefinitionErrors } from './errors.ts'
