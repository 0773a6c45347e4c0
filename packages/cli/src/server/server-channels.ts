import {
  createChannelHub,
  createMemoryChannelBackend,
  silentLogger,
  type ChannelBackend,
  type ChannelHandlerRuntime,
  type ChannelHub,
  type Logger,
  type Registry,
} from '@servey/core'
import { channelSettingsFrom } from './channel-settings.ts'

export interface ServerChannels {
  readonly kind: 'memory' | 'redis'
  /**
   * A hub over this process's backend, for one loaded version of the app (dev reloads), with
   * the job runner its channel handlers enqueue through. With Redis it resolves once the
   * process receives every event published after it.
   */
  hubFor(registry: Registry, handlers?: ChannelHandlerRuntime): Promise<ChannelHub>
  /** Where the backend and the hubs log (the server's logger, once it exists). */
  useLog(log: Logger): void
  close(): Promise<void>
}

/** A logger that writes to whichever logger it was last given. */
function forwardingLogger(): { log: Logger; target: (log: Logger) => void } {
  let current: Logger = silentLogger
  const log: Logger = {
    debug: (obj, msg) => current.debug(obj, msg),
    info: (obj, msg) => current.info(obj, msg),
    warn: (obj, msg) => current.warn(obj, msg),
    error: (obj, msg) => current.error(obj, msg),
    child: (bindings) => current.child(bindings),
  }
  return { log, target: (next) => (current = next) }
}

/**
 * The channel fan-out of a server process. With REDIS_URL: Redis Streams shared by every
 * process of the app (a Redis that does not answer fails start-up with
 * SERVEY_ERR_CLI_REDIS_UNREACHABLE). Else in process. Either way the backend outlives each
 * version's hub, so the history survives dev reloads.
 */
export async function serverChannels(env: NodeJS.ProcessEnv): Promise<ServerChannels> {
  const settings = channelSettingsFrom(env)
  const logging = forwardingLogger()
  let backend: ChannelBackend
  let watch: ((channels: readonly string[]) => Promise<void>) | undefined
  if (settings.redisUrl === undefined) {
    backend = createMemoryChannelBackend(settings.history)
  } else {
    const { connectRedisChannelBackend } = await import('@servey/channels/redis')
    const redis = await connectRedisChannelBackend({
      url: settings.redisUrl,
      prefix: settings.prefix,
      history: settings.history,
      log: logging.log,
    })
    backend = redis
    watch = (channels) => redis.watch(channels)
  }
  let hub: ChannelHub | undefined
  return {
    kind: backend.kind === 'redis' ? 'redis' : 'memory',
    async hubFor(registry, handlers) {
      void hub?.close()
      hub = createChannelHub(registry, {
        backend,
        log: logging.log,
        ...(handlers === undefined ? {} : { handlers }),
      })
      await watch?.(registry.channels.map((channel) => channel.name))
      return hub
    },
    useLog: logging.target,
    async close() {
      await hub?.close()
      await backend.close()
    },
  }
}
