/**
 * @module @servey/channels: event channels on the Fastify server. Websocket subscriptions
 * (`WS /channels/<name>`, multiplexed `WS /channels`) and Server-Sent Events
 * (`GET /channels/<name>`), through core's channel hub: access, filters and resume by event id
 * are core's, this package only speaks the transports.
 */
export { serveyChannels, GOING_AWAY, type ServeyChannelsOptions } from './plugin.ts'
export { DEFAULT_LIMITS, type ChannelLimits } from './limits.ts'
// Re-exported from core, where the Lambda websocket runtime shares them.
export { BEARER_PROTOCOL, parseClientFrame, type ClientFrame } from '@servey/core'
export {
  buildAsyncApiDocument,
  MULTIPLEXED_KEY,
  sseKey,
  type AsyncApiOptions,
  type AsyncApiServer,
} from './asyncapi/asyncapi-document.ts'
export { createServedAsyncApi, type ServedRequest } from './asyncapi/served-document.ts'
