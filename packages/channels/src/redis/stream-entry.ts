import type { ChannelEnvelope } from '@servey/core'
import type { StreamEntry } from './stream-scripts.ts'

/** The envelope of one stream entry (fields `e`: the event as JSON, `t`: its one target). */
export function envelopeOf(channel: string, [id, fields]: StreamEntry): ChannelEnvelope {
  let json: string | undefined
  let to: string | undefined
  for (let index = 0; index + 1 < fields.length; index += 2) {
    if (fields[index] === 'e') json = fields[index + 1]
    else if (fields[index] === 't') to = fields[index + 1]
  }
  if (json === undefined) throw new Error(`stream entry ${id} of ${channel} has no event`)
  const event: unknown = JSON.parse(json)
  return Object.freeze(to === undefined ? { channel, id, event } : { channel, id, event, to })
}
