import { cacheStoreFromEnv } from '@servey/cache'
import { createResultCache, type Registry, type ResultCache } from '@servey/core'

export interface ServerCache {
  readonly kind: 'memory' | 'redis'
  /**
   * The result cache plugin for one loaded version of the app; `prefix` replaces the one given
   * at creation (a dev reload may bring a config with another `cache.prefix`).
   */
  pluginFor(registry: Registry, prefix?: string): ResultCache
  close(): Promise<void>
}

/**
 * The server-side result cache: Redis when REDIS_URL is set (shared by every server process),
 * else this process's memory. One store per process; in dev each reload also starts from an
 * empty memory store, so an edited handler is never answered by its old results. Keys start
 * with `prefix` (the config's `cache.prefix`, per app by default), so apps can share a Redis.
 */
export function serverCache(
  env: NodeJS.ProcessEnv,
  freshPerLoad: boolean,
  prefix?: string,
): ServerCache {
  let chosen = cacheStoreFromEnv(env)
  return {
    kind: chosen.kind,
    pluginFor(registry, prefixOfLoad = prefix) {
      if (freshPerLoad && chosen.kind === 'memory') chosen = cacheStoreFromEnv(env)
      return createResultCache({
        store: chosen.store,
        registry,
        ...(prefixOfLoad === undefined ? {} : { prefix: prefixOfLoad }),
      })
    },
    close: () => chosen.close(),
  }
}
