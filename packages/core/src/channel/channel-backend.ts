import type { ChannelEnvelope } from './channel.ts'

/** What a backend keeps per channel: the last `maxLength` events, none older than `maxAgeMs`. */
export interface HistoryLimits {
  readonly maxLength: number
  readonly maxAgeMs: number
}

export const DEFAULT_HISTORY: HistoryLimits = Object.freeze({ maxLength: 1000, maxAgeMs: 300_000 })

export interface HistoryRead {
  /** The kept events after the given id, oldest first. */
  readonly events: readonly ChannelEnvelope[]
  /** True when events after the given id were already dropped from the history. */
  readonly gap: boolean
}

/**
 * The port between the channel hub and the engine that orders, keeps and fans out events:
 * in process by default (`createMemoryChannelBackend`), or Redis Streams across processes
 * (`@servey/channels`). A backend assigns the id, appends to the bounded history, and calls
 * every listener once per event, in id order per channel, in every process.
 */
export interface ChannelBackend {
  readonly kind: string
  /** `to`: the one connection the event is for, if any; kept with the event. */
  append(channel: string, event: unknown, to?: string): Promise<ChannelEnvelope>
  /** Events of a channel after `since`, and whether the history still reaches back to it. */
  readSince(channel: string, since: string): Promise<HistoryRead>
  /** Called for every event appended by any process; returns a function that stops it. */
  listen(listener: (envelope: ChannelEnvelope) => void): () => void
  /**
   * For a backend that receives other processes' events per channel (Redis): start receiving
   * these channels' events. Resolves once every event appended after the call is sure to reach
   * the listeners. The hub calls it with its registry's channels; calling it again is cheap.
   */
  watch?(channels: readonly string[]): Promise<void>
  close(): Promise<void>
}
