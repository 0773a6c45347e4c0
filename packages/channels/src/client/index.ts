/**
 * @module @servey/channels/client: the browser-safe channels client. A subpath of its own so
 * that a front-end bundle gets this file and not the server plugin, ws or ioredis.
 */
export {
  createChannelsClient,
  type ChannelsClient,
  type ChannelsClientError,
  type ChannelsClientOptions,
  type ConnectionState,
  type EventMeta,
  type EventOf,
  type SubscribeOptions,
  type Subscription,
  type WebSocketConstructor,
  type WebSocketLike,
} from './channels-client.ts'
