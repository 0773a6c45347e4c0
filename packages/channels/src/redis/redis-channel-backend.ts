import {
  ActionError,
  DEFAULT_HISTORY,
  compareEventIds,
  silentLogger,
  type ChannelBackend,
  type ChannelEnvelope,
  type HistoryLimits,
  type Logger,
} from '@servey/core'
import { Redis } from 'ioredis'
import { envelopeOf } from './stream-entry.ts'
import { defineChannelScripts } from './stream-scripts.ts'
import { startStreamReader, type StreamReader } from './stream-reader.ts'

export interface RedisChannelBackendOptions {
  /** Default `REDIS_URL`, else `redis://127.0.0.1:6379`. */
  readonly url?: string
  /**
   * Stream keys are `<prefix>:channel:<name>` (default prefix `servey`). On Redis Cluster use a
   * prefix in braces, such as `{servey}`, so one XREAD can read every channel's stream.
   */
  readonly prefix?: string
  /** Default the last 1,000 events and 5 minutes per channel, as in process. */
  readonly history?: Partial<HistoryLimits>
  /**
   * false: publish and read history only, never receive events (no blocking connection).
   * For processes with no subscribers: `servey run`, `servey worker`. Default true.
   */
  readonly receive?: boolean
  readonly log?: Logger
  /** How long the first connection may take before start-up fails (default 5 s). */
  readonly connectTimeoutMs?: number
  /** How long one blocking read waits; a channel watched later joins within it (default 1 s). */
  readonly blockMs?: number
}

export interface RedisChannelBackend extends ChannelBackend {
  readonly kind: 'redis'
  readonly prefix: string
  readonly limits: HistoryLimits
  /** The stream of a channel. */
  keyOf(channel: string): string
  watch(channels: readonly string[]): Promise<void>
}

/** The URL without its password, for messages. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'the REDIS_URL given'
  }
}

/**
 * Channel events in Redis, shared by every process of an app: each channel is a Redis Stream
 * holding its bounded history, the stream entry id is the event id (one id per event in the
 * whole cluster, so `since` resumes on any process), and each process reads the streams it
 * serves to fan events out to its own subscribers, each event exactly once.
 *
 * Connects before it resolves: a Redis that does not answer fails start-up with UNAVAILABLE.
 */
export async function connectRedisChannelBackend(
  options: RedisChannelBackendOptions = {},
): Promise<RedisChannelBackend> {
  const url = options.url ?? process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379'
  const prefix = options.prefix ?? 'servey'
  const limits: HistoryLimits = Object.freeze({ ...DEFAULT_HISTORY, ...options.history })
  const log = options.log ?? silentLogger
  const connectTimeout = options.connectTimeoutMs ?? 5000
  const keyOf = (channel: string): string => `${prefix}:channel:${channel}`

  const command = defineChannelScripts(
    new Redis(url, {
      lazyConnect: true,
      connectTimeout,
      // A publish waits through a short blip, then fails with UNAVAILABLE at the publisher.
      maxRetriesPerRequest: 2,
    }),
  )
  // Failures reach callers through each command; the event itself would only print twice.
  command.on('error', () => undefined)
  try {
    await command.connect()
    await command.ping()
  } catch (error) {
    command.disconnect()
    throw new ActionError(
      'UNAVAILABLE',
      `Redis at ${redactUrl(url)} does not answer (${(error as Error).message}): event channels fan out through it when REDIS_URL is set`,
      { cause: error },
    )
  }

  const listeners = new Set<(envelope: ChannelEnvelope) => void>()
  const deliver = (envelope: ChannelEnvelope): void => {
    for (const listener of listeners) listener(envelope)
  }
  let reader: StreamReader | undefined
  if (options.receive ?? true) {
    // Never gives up: while Redis is away the read waits, and resumes from its last id.
    const blocking = command.duplicate({ maxRetriesPerRequest: null, lazyConnect: false })
    let down = false
    blocking.on('error', (error: Error) => {
      if (!down) log.error({ err: error }, 'lost the Redis connection that receives channel events')
      down = true
    })
    blocking.on('ready', () => {
      if (down) log.info({}, 'receiving channel events from Redis again')
      down = false
    })
    reader = startStreamReader({
      blocking,
      command,
      keyOf,
      deliver,
      log,
      blockMs: options.blockMs ?? 1000,
      batch: 1000,
    })
  }

  return {
    kind: 'redis',
    prefix,
    limits,
    keyOf,
    async append(channel, event, to) {
      const id = await command.serveyChannelAppend(
        keyOf(channel),
        limits.maxLength,
        limits.maxAgeMs,
        JSON.stringify(event),
        to ?? '',
      )
      return Object.freeze(to === undefined ? { channel, id, event } : { channel, id, event, to })
    },
    async readSince(channel, since) {
      const [deleted, entries] = await command.serveyChannelReadSince(
        keyOf(channel),
        since,
        limits.maxLength,
        limits.maxAgeMs,
      )
      const events: ChannelEnvelope[] = []
      for (const entry of entries) {
        try {
          events.push(envelopeOf(channel, entry))
        } catch (error) {
          log.error({ err: error, channel, id: entry[0] }, 'unreadable event skipped')
        }
      }
      return { events, gap: compareEventIds(since, deleted) < 0 }
    },
    listen(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    watch(channels) {
      return reader === undefined ? Promise.resolve() : reader.watch(channels)
    },
    async close() {
      listeners.clear()
      await reader?.close()
      await command.quit().catch(() => undefined)
    },
  }
}
