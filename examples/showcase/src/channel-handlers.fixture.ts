import {
  createChannelHub,
  createInvoker,
  createJwtAuthenticator,
  createJwtIssuer,
  createRegistry,
  generateSecret,
} from '@servey/core'
import { createServer } from '@servey/rest'
import { startScheduler } from '@servey/scheduler'

/**
 * The showcase composed as `servey start` composes it: one scheduler whose job runner and
 * webhook sender run the channels' handlers, a hub over them, and the REST server.
 */
export async function startShowcase(
  actions: Record<string, unknown>,
  callbacks: { secret?: string; allowedHosts?: string[] } = {},
) {
  const secret = generateSecret()
  const registry = createRegistry(actions)
  const authenticator = await createJwtAuthenticator({ secret })
  // Handlers publish through the hub bound to their channels.
  const bare = createInvoker(registry, { authenticator })
  const scheduler = await startScheduler({
    invoker: bare,
    redisUrl: '',
    callbacks: { backoff: 20, ...callbacks },
  })
  const hub = createChannelHub(registry, {
    handlers: { jobs: scheduler.jobs, webhooks: scheduler.webhooks },
  })
  const invoker = createInvoker(registry, { authenticator, channels: hub })
  const app = await createServer({
    invoker,
    jobs: { runner: scheduler.jobs, callbackPolicy: scheduler.callbackPolicy },
  })
  const issuer = createJwtIssuer({ secret })
  return {
    app,
    token: async (subject: string) => (await issuer.issue({ subject, scopes: [] })).token,
    async close() {
      await app.close()
      await scheduler.close()
      await hub.close()
    },
  }
}

export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
