import type { ChannelEnvelope } from './channel.ts'
import { DEFAULT_HISTORY, type ChannelBackend, type HistoryLimits } from './channel-backend.ts'
import { compareEventIds, nextEventId } from './event-id.ts'

interface Kept {
  readonly envelope: ChannelEnvelope
  readonly at: number
}

interface ChannelLog {
  readonly events: Kept[]
  last: string | undefined
  /** The id of the newest event dropped from the history. */
  droppedThrough: string | undefined
}

/**
 * One process's channels: ids, a bounded history per channel (a plain array trimmed from the
 * front: appends and trims are amortised O(1) at these sizes) and synchronous fan-out to the
 * listeners in publish order.
 */
export function createMemoryChannelBackend(
  limits: Partial<HistoryLimits> = {},
  now: () => number = Date.now,
): ChannelBackend {
  const { maxLength, maxAgeMs } = { ...DEFAULT_HISTORY, ...limits }
  const logs = new Map<string, ChannelLog>()
  const listeners = new Set<(envelope: ChannelEnvelope) => void>()

  const logOf = (channel: string): ChannelLog => {
    let log = logs.get(channel)
    if (log === undefined) {
      log = { events: [], last: undefined, droppedThrough: undefined }
      logs.set(channel, log)
    }
    return log
  }
  const trim = (log: ChannelLog, at: number): void => {
    let drop = Math.max(0, log.events.length - maxLength)
    while (drop < log.events.length && at - (log.events[drop] as Kept).at > maxAgeMs) drop++
    if (drop === 0) return
    log.droppedThrough = (log.events[drop - 1] as Kept).envelope.id
    log.events.splice(0, drop)
  }

  return {
    kind: 'memory',
    append(channel, event, to) {
      const log = logOf(channel)
      const at = now()
      const id = nextEventId(log.last, at)
      log.last = id
      const envelope: ChannelEnvelope = Object.freeze(
        to === undefined ? { channel, id, event } : { channel, id, event, to },
      )
      log.events.push({ envelope, at })
      trim(log, at)
      for (const listener of listeners) listener(envelope)
      return Promise.resolve(envelope)
    },
    readSince(channel, since) {
      const log = logOf(channel)
      trim(log, now())
      const gap = log.droppedThrough !== undefined && compareEventIds(since, log.droppedThrough) < 0
      const events = log.events
        .filter((kept) => compareEventIds(kept.envelope.id, since) > 0)
        .map((kept) => kept.envelope)
      return Promise.resolve({ events, gap })
    },
    listen(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      listeners.clear()
      logs.clear()
      return Promise.resolve()
    },
  }
}
