/**
 * Where the server-side result cache keeps serialized results. Core defines the port;
 * `@servey/cache` implements it in memory (LRU) and on Redis. Every method may be async, and
 * a failing store never fails a call: the cache is skipped and the handler runs.
 */
export interface CacheStore {
  get(key: string): Promise<string | undefined> | string | undefined
  set(key: string, value: string, ttlMs: number): Promise<void> | void
  /** Remove every entry whose key starts with `prefix`. */
  deleteByPrefix(prefix: string): Promise<void> | void
}
