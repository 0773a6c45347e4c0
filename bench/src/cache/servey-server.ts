// Child process: the Servey side. One action with a server-side cache (every measured call is
// a hit) and one with an ETag policy on top (every measured call is a 304).
import { createMemoryStore } from '@servey/cache'
import {
  action,
  createInvoker,
  createRegistry,
  createResultCache,
  ttl,
  WEB_GET,
} from '@servey/core'
import { createServer } from '@servey/rest'
import { announceReady } from '../lib/server-process.ts'
import { CATALOGUE, CatalogueResult } from './constant.ts'

// A handler that is worth caching: the hit must never run it.
const slowCatalogue = async () => {
  await new Promise((resolve) => setTimeout(resolve, 50))
  return structuredClone(CATALOGUE)
}

const actions = {
  cached_catalogue: action(
    {
      name: 'cached_catalogue',
      triggers: [WEB_GET],
      result: CatalogueResult,
      cache: ttl(60, { server: true }),
    },
    slowCatalogue,
  ),
  tagged_catalogue: action(
    {
      name: 'tagged_catalogue',
      triggers: [WEB_GET],
      result: CatalogueResult,
      cache: ttl(60, { server: true, etag: true }),
    },
    slowCatalogue,
  ),
}

const registry = createRegistry(actions)
const cache = createResultCache({ store: createMemoryStore(), registry })
const app = await createServer({
  invoker: createInvoker(registry, { validateResult: false, plugins: [cache] }),
  docs: false,
  logger: false,
})
const url = await app.listen({ port: 0, host: '127.0.0.1' })
announceReady(url, () => app.close())
