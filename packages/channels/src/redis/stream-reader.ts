import type { ChannelEnvelope, Logger } from '@servey/core'
import type { Redis } from 'ioredis'
import { envelopeOf } from './stream-entry.ts'
import type { StreamEntry } from './stream-scripts.ts'

export interface StreamReaderOptions {
  /** A connection of its own: a blocked XREAD holds it. Closed by `close()`. */
  readonly blocking: Redis
  /** Any other connection, for the streams' positions when a channel is first watched. */
  readonly command: Redis
  readonly keyOf: (channel: string) => string
  readonly deliver: (envelope: ChannelEnvelope) => void
  readonly log: Logger
  /** How long one XREAD blocks; a newly watched channel joins the read after at most this. */
  readonly blockMs: number
  /** Entries per stream per read. */
  readonly batch: number
}

export interface StreamReader {
  /** Deliver every event appended to these channels from now on; resolves once positioned. */
  watch(channels: readonly string[]): Promise<void>
  close(): Promise<void>
}

interface Position {
  readonly channel: string
  last: string
}

/** XINFO STREAM's last-generated-id: the id of the newest entry ever added, trimmed or not. */
function lastGeneratedId(reply: unknown): string {
  if (!Array.isArray(reply)) return '0-0'
  const at = reply.indexOf('last-generated-id')
  return at === -1 ? '0-0' : String(reply[at + 1])
}

/**
 * One process's fan-in: a loop of blocking XREADs over every watched channel's stream, each
 * from the last id it delivered. Reading streams (rather than pub/sub) is what makes delivery
 * exactly once per process: after a dropped connection ioredis sends the same XREAD again, and
 * it returns what was appended meanwhile instead of losing it.
 */
export function startStreamReader(options: StreamReaderOptions): StreamReader {
  const { blocking, command, keyOf, deliver, log } = options
  const positions = new Map<string, Position>()
  const positioning = new Map<string, Promise<void>>()
  let closed = false
  let wake: (() => void) | undefined

  const handle = (reply: unknown): void => {
    if (!Array.isArray(reply)) return
    for (const [key, entries] of reply as [string, StreamEntry[]][]) {
      const position = positions.get(key)
      if (position === undefined) continue
      for (const entry of entries) {
        position.last = entry[0]
        try {
          deliver(envelopeOf(position.channel, entry))
        } catch (error) {
          log.error({ err: error, channel: position.channel, id: entry[0] }, 'unreadable event')
        }
      }
    }
  }

  const loop = async (): Promise<void> => {
    while (!closed) {
      if (positions.size === 0) {
        await new Promise<void>((resolve) => (wake = resolve))
        continue
      }
      const keys = [...positions.keys()]
      const ids = keys.map((key) => (positions.get(key) as Position).last)
      try {
        const reply = await blocking.call(
          'XREAD',
          'COUNT',
          options.batch,
          'BLOCK',
          options.blockMs,
          'STREAMS',
          ...keys,
          ...ids,
        )
        handle(reply)
      } catch (error) {
        if (closed) return
        log.error({ err: error }, 'reading channel events from Redis failed; retrying')
        await new Promise((resolve) => setTimeout(resolve, 1000))
      }
    }
  }
  const running = loop()

  const position = (channel: string): Promise<void> => {
    const key = keyOf(channel)
    if (positions.has(key)) return Promise.resolve()
    let pending = positioning.get(key)
    if (pending === undefined) {
      pending = (async () => {
        let reply: unknown
        try {
          reply = await command.xinfo('STREAM', key)
        } catch (error) {
          // No stream yet: every entry it will ever have is new.
          if (!/no such key/i.test((error as Error).message)) throw error
        }
        positions.set(key, { channel, last: lastGeneratedId(reply) })
        wake?.()
        wake = undefined
      })().finally(() => positioning.delete(key))
      positioning.set(key, pending)
    }
    return pending
  }

  return {
    async watch(channels) {
      await Promise.all(channels.map(position))
    },
    async close() {
      closed = true
      wake?.()
      blocking.disconnect()
      await running
    },
  }
}
