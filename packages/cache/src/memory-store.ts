import type { CacheStore } from '@servey/core'
import { LRUCache } from 'lru-cache'
import { cacheDefinitionErrors } from './errors.ts'

export interface MemoryStoreOptions {
  /** Most entries kept; the least recently used go first. Default 1,000. */
  readonly maxEntries?: number
  /** Most bytes kept (keys and serialized results). Default 64 MiB. */
  readonly maxBytes?: number
}

export interface MemoryStore extends CacheStore {
  // Synchronous here: callers that hold a MemoryStore need not await it.
  get(key: string): string | undefined
  set(key: string, value: string, ttlMs: number): void
  deleteByPrefix(prefix: string): void
  /** Entries held now (expired ones may linger until touched). */
  readonly size: number
  /** Bytes held now. */
  readonly bytes: number
  clear(): void
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw cacheDefinitionErrors.SERVEY_ERR_CACHE_STORE_OPTION_INVALID(
      name,
      `${String(value)} is not a whole number above 0`,
    )
  }
  return value
}

/**
 * The default store: one process's memory, an LRU bounded by entries and by bytes, so a
 * popular action with large results cannot eat the heap. A result larger than `maxBytes` is
 * simply not kept.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const max = positiveInteger(options.maxEntries ?? 1000, 'maxEntries')
  const maxSize = positiveInteger(options.maxBytes ?? 64 * 1024 * 1024, 'maxBytes')
  const lru = new LRUCache<string, string>({
    max,
    maxSize,
    // UTF-16 strings: two bytes a code unit is what the heap really pays.
    sizeCalculation: (value, key) => (value.length + key.length) * 2,
  })
  return {
    get: (key) => lru.get(key),
    set: (key, value, ttlMs) => {
      lru.set(key, value, { ttl: ttlMs })
    },
    deleteByPrefix: (prefix) => {
      for (const key of [...lru.keys()]) if (key.startsWith(prefix)) lru.delete(key)
    },
    get size() {
      return lru.size
    },
    get bytes() {
      return lru.calculatedSize
    },
    clear: () => lru.clear(),
  }
}
