/** The limits of one channels server. Every one is configurable on `serveyChannels`. */
export interface ChannelLimits {
  /** Largest client frame in bytes; a larger one closes the connection with 1009. Default 64 KiB. */
  readonly maxFrameBytes: number
  /**
   * Bytes queued for one connection and not yet taken by the network; past it the connection
   * is closed with 1013 (`SLOW_CONSUMER`) and the others are never delayed. Default 1 MiB.
   */
  readonly maxBufferedBytes: number
  /** Open websocket and SSE connections per process; more are refused with 503. Default 10,000. */
  readonly maxConnections: number
  /** Ping interval; a connection that did not answer the previous ping is dropped. Default 30 s. */
  readonly heartbeatMs: number
  /** How long a connection may wait before its `{type:"auth"}` frame. Default 10 s. */
  readonly authTimeoutMs: number
  /** Subscriptions per multiplexed connection. Default 100. */
  readonly maxSubscriptions: number
}

export const DEFAULT_LIMITS: ChannelLimits = Object.freeze({
  maxFrameBytes: 64 * 1024,
  maxBufferedBytes: 1024 * 1024,
  maxConnections: 10_000,
  heartbeatMs: 30_000,
  authTimeoutMs: 10_000,
  maxSubscriptions: 100,
})
