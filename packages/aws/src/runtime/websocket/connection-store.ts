import type { Authorization } from '@servey/core'

/** One connection as the table knows it. */
export interface StoredConnection {
  readonly connectionId: string
  /** Where PostToConnection reaches it: `https://<api-id>.execute-api.<region>.amazonaws.com/<stage>`. */
  readonly endpoint: string
  readonly authorization: Authorization | null
}

/**
 * The websocket connections of a stack and their subscriptions, shared by every function:
 * the websocket function writes them, any function that publishes reads them.
 */
export interface ConnectionStore {
  connect(connection: StoredConnection): Promise<void>
  /** The connection's row, or undefined when it is gone (disconnected, expired). */
  get(connectionId: string): Promise<StoredConnection | undefined>
  /** The channels it is subscribed to. */
  channelsOf(connectionId: string): Promise<string[]>
  subscribe(connection: StoredConnection, channel: string): Promise<void>
  unsubscribe(connectionId: string, channel: string): Promise<void>
  /** An `auth` frame: the connection and every one of its subscriptions carry the new caller. */
  reauthorize(connection: StoredConnection): Promise<void>
  /** Every row of the connection: on `$disconnect`, and when PostToConnection answers 410. */
  remove(connectionId: string): Promise<void>
  /** Every subscriber of a channel, page by page. */
  subscribers(channel: string): AsyncIterable<StoredConnection[]>
}
