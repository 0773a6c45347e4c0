import {
  createChannelHub,
  createMemoryChannelBackend,
  type ChannelBackend,
  type ChannelHandlerRuntime,
  type ChannelHub,
  type Logger,
  type Registry,
} from '@servey/core'
import { channelSettingsFrom } from './channel-settings.ts'

export interface PublishingChannels {
  readonly kind: 'memory' | 'redis'
  readonly hub: ChannelHub
  close(): Promise<void>
}

/**
 * Channels for a process that publishes but serves no subscriber: `servey run` and
 * `servey worker`. With REDIS_URL, events go to the Redis Streams the servers read, so their
 * clients receive them (and can resume them). Without it there is no server to reach: the
 * event is still checked against its payload schema (INVALID_EVENT) and gets an id, then goes
 * nowhere, and the first publish to each channel says so on the log. `handlers` runs the
 * channels' background-action and webhook handlers of what this process publishes (`servey
 * worker` passes its scheduler's, `servey run` one started on first use); without it,
 * publishing to a channel that has handlers fails with UNAVAILABLE.
 */
export async function publishingChannels(
  env: NodeJS.ProcessEnv,
  registry: Registry,
  log: Logger,
  handlers?: ChannelHandlerRuntime,
): Promise<PublishingChannels> {
  const settings = channelSettingsFrom(env)
  let backend: ChannelBackend
  if (settings.redisUrl !== undefined) {
    const { connectRedisChannelBackend } = await import('@servey/channels/redis')
    backend = await connectRedisChannelBackend({
      url: settings.redisUrl,
      prefix: settings.prefix,
      history: settings.history,
      receive: false,
      log,
    })
  } else {
    const memory = createMemoryChannelBackend(settings.history)
    const warned = new Set<string>()
    backend = {
      ...memory,
      append(channel, event, to) {
        if (!warned.has(channel)) {
          warned.add(channel)
          log.warn(
            { channel },
            `REDIS_URL is not set: events published to ${channel} stay in this process, and no server's subscribers receive them`,
          )
        }
        return memory.append(channel, event, to)
      },
    }
  }
  const hub = createChannelHub(registry, {
    backend,
    log,
    ...(handlers === undefined ? {} : { handlers }),
  })
  return {
    kind: backend.kind === 'redis' ? 'redis' : 'memory',
    hub,
    async close() {
      await hub.close()
      await backend.close()
    },
  }
}
