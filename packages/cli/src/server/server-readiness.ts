import type { Readiness } from '@servey/http'
import { cliErrors } from '../errors.ts'
import { redactedRedisUrl } from './jobs-summary.ts'

/** How long Redis may take to answer at start, and each readiness PING. */
const CONNECT_TIMEOUT_MS = 5000
const PING_TIMEOUT_MS = 1000

/**
 * What `GET /ready` answers for a server process, and the hook that turns it off on shutdown.
 * The graceful shutdown calls `markShuttingDown()` as soon as SIGTERM arrives, so a load
 * balancer stops sending requests before the server closes.
 */
export interface ServerReadiness {
  check(): Promise<Readiness>
  markShuttingDown(): void
  close(): Promise<void>
}

/**
 * The readiness of `servey start`. With REDIS_URL, its own Redis connection is opened here
 * first: a Redis that does not answer fails start-up with SERVEY_ERR_CLI_REDIS_UNREACHABLE,
 * before anything else connects (or retries forever). Later each `/ready` PINGs it, so an
 * outage takes the process out of rotation and its return puts it back.
 */
export async function serverReadiness(env: NodeJS.ProcessEnv): Promise<ServerReadiness> {
  let shuttingDown = false
  const url = env['REDIS_URL']
  const ping = url === undefined || url === '' ? undefined : await connectRedisProbe(url)
  return {
    async check() {
      if (shuttingDown) {
        return { ready: false, reason: 'shutting_down', detail: 'The server is shutting down' }
      }
      return ping === undefined ? { ready: true } : ping.check()
    },
    markShuttingDown() {
      shuttingDown = true
    },
    async close() {
      ping?.close()
    },
  }
}

interface RedisProbe {
  check(): Promise<Readiness>
  close(): void
}

async function connectRedisProbe(url: string): Promise<RedisProbe> {
  const { Redis } = await import('ioredis')
  const shown = redactedRedisUrl(url)
  let lastError: Error | undefined
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: PING_TIMEOUT_MS,
    // A PING while disconnected fails at once instead of waiting in a queue: /ready answers
    // within its timeout whatever Redis does.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // Reconnects forever, at most every 2 s, so /ready turns green again once Redis is back.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  })
  // ioredis reports each failed reconnect as an `error` event; /ready reports the outage.
  client.on('error', (error: Error) => (lastError = error))
  try {
    await client.connect()
    await client.ping()
  } catch (error) {
    client.disconnect()
    const reason = lastError?.message ?? (error as Error).message
    throw cliErrors.SERVEY_ERR_CLI_REDIS_UNREACHABLE(shown, reason || 'no answer')
  }
  return {
    async check() {
      try {
        await client.ping()
        return { ready: true }
      } catch {
        // Whoever probes may be anyone: the address and the reason stay in the server's logs.
        return { ready: false, reason: 'dependency_unavailable', detail: 'Redis does not answer' }
      }
    },
    close: () => client.disconnect(),
  }
}
