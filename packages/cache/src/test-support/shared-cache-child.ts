// One server process of the cross-process test: its own registry, invoker and Redis store.
import { action, createInvoker, createRegistry, createResultCache, ttl } from '@servey/core'
import { createRedisStore } from '../redis-store.ts'

const [url, prefix] = process.argv.slice(2) as [string, string]
let ranHandler = false
const registry = createRegistry({
  whoami: action({ cache: ttl(60, { server: true }) }, () => {
    ranHandler = true
    return { pid: process.pid }
  }),
})
const store = createRedisStore({ url })
const invoker = createInvoker(registry, { plugins: [createResultCache({ store, prefix })] })
const outcome = await invoker.invoke({ action: 'whoami' })
await store.close()
process.stdout.write(JSON.stringify({ pid: process.pid, ranHandler, outcome }))
