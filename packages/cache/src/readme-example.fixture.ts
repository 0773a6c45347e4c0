import { createMemoryStore } from '@servey/cache'
import { action, createInvoker, createRegistry, createResultCache, ttl, Type } from '@servey/core'

let runs = 0
const registry = createRegistry({
  slow_square: action(
    {
      params: Type.Object({ n: Type.Integer() }),
      // Clients may reuse it for 60 s; the server keeps it 60 s too.
      cache: ttl(60, { server: true }),
    },
    async ({ n }) => {
      runs++
      await new Promise((resolve) => setTimeout(resolve, 100))
      return n * n
    },
  ),
})

// createRedisStore({ url: process.env.REDIS_URL }) shares results between processes instead.
const cache = createResultCache({ store: createMemoryStore({ maxEntries: 500 }), registry })
const invoker = createInvoker(registry, { plugins: [cache] })

// Three identical calls at once, then one more: the handler runs once.
await Promise.all([1, 2, 3].map(() => invoker.invoke({ action: 'slow_square', input: { n: 4 } })))
console.log(await invoker.invoke({ action: 'slow_square', input: { n: 4 } })) // { ok: true, result: 16 }
console.log(runs) // 1

// Forget the stored results of one action (or of one action and params).
await cache.invalidate('slow_square', { n: 4 })
await invoker.invoke({ action: 'slow_square', input: { n: 4 } })
console.log(runs) // 2
