/**
 * @module @servey/channels/redis: channel fan-out and history across processes, on Redis
 * Streams. A subpath of its own, so processes that only publish (`servey run`, `servey worker`)
 * load no websocket server, and servers without Redis load no Redis client.
 */
export {
  connectRedisChannelBackend,
  type RedisChannelBackend,
  type RedisChannelBackendOptions,
} from './redis-channel-backend.ts'
