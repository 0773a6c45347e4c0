import type { ChannelEnvelope } from '@servey/core'

const cache = new WeakMap<ChannelEnvelope, string>()

/** `{channel, id, event}` as JSON, serialized once per event whatever the number of subscribers. */
export function serializeEnvelope(envelope: ChannelEnvelope): string {
  let text = cache.get(envelope)
  if (text === undefined) {
    text = JSON.stringify({ channel: envelope.channel, id: envelope.id, event: envelope.event })
    cache.set(envelope, text)
  }
  return text
}
