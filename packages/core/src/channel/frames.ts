import type { ActionError } from '../errors/action-error.ts'
import type { ChannelEnvelope } from './channel.ts'

const cache = new WeakMap<ChannelEnvelope, string>()

/**
 * `{channel, id, event}` as JSON, the frame every transport sends (websocket, SSE data, Lambda's
 * PostToConnection), serialized once per event whatever the number of subscribers.
 */
export function serializeEnvelope(envelope: ChannelEnvelope): string {
  let text = cache.get(envelope)
  if (text === undefined) {
    text = JSON.stringify({ channel: envelope.channel, id: envelope.id, event: envelope.event })
    cache.set(envelope, text)
  }
  return text
}

/**
 * `{type:"error", code, detail, channel?}`: how a websocket tells a client that one frame failed.
 * An unexposed error (a 5xx) shows its title only, never its message.
 */
export function serializeErrorFrame(error: ActionError, channel?: string): string {
  return JSON.stringify({
    type: 'error',
    code: error.code,
    detail: error.expose ? error.message : error.title,
    ...(channel === undefined ? {} : { channel }),
  })
}
