import {
  ActionError,
  nextEventId,
  serializeEnvelope,
  shouldDeliver,
  type ChannelBackend,
  type ChannelEnvelope,
  type Logger,
  type Registry,
} from '@servey/core'
import type { ConnectionPoster } from './connection-poster.ts'
import type { ConnectionStore, StoredConnection } from './connection-store.ts'

export interface WebsocketBackendOptions {
  readonly registry: Registry
  readonly store: ConnectionStore
  readonly poster: ConnectionPoster
  readonly log: Logger
  /** Posts in flight at once per publish (default 16): a large channel never opens thousands. */
  readonly concurrency?: number
  readonly now?: () => number
}

/**
 * The channel backend of a Lambda function: publishing reads the channel's subscribers from
 * the connections table, applies each one's access and the channel's filter (core's
 * `shouldDeliver`, with the authorization stored when it subscribed) and sends the envelope
 * with PostToConnection. A connection that answers 410 Gone is removed from the table.
 *
 * Lambda keeps no history: a function lives for one event, so `readSince` always reports a
 * gap (the websocket function answers `resume_gap`), and no listener ever runs in process.
 */
export function createWebsocketBackend(options: WebsocketBackendOptions): ChannelBackend {
  const { registry, store, poster, log } = options
  const now = options.now ?? Date.now
  const concurrency = options.concurrency ?? 16
  let last: string | undefined

  const deliverTo = async (
    recipient: StoredConnection,
    envelope: ChannelEnvelope,
    text: string,
  ): Promise<void> => {
    try {
      if ((await poster.post(recipient.endpoint, recipient.connectionId, text)) === 'gone') {
        log.info({ connection: recipient.connectionId }, 'websocket connection gone (410): removed')
        await store.remove(recipient.connectionId)
      }
    } catch (error) {
      // One failing connection never stops the others; the event is not retried for it.
      log.warn(
        { err: error, connection: recipient.connectionId, channel: envelope.channel },
        'websocket delivery failed',
      )
    }
  }

  return {
    kind: 'lambda-websocket',
    async append(channelName, event, to) {
      const channel = registry.channel(channelName)
      if (channel === undefined) {
        throw new ActionError('UNKNOWN_CHANNEL', `No channel is named '${channelName}'`)
      }
      last = nextEventId(last, now())
      const envelope: ChannelEnvelope = {
        channel: channelName,
        id: last,
        event,
        ...(to === undefined ? {} : { to }),
      }
      const text = serializeEnvelope(envelope)
      let delivered = 0
      for await (const page of store.subscribers(channelName)) {
        const chosen: StoredConnection[] = []
        for (const recipient of page) {
          if (await shouldDeliver(channel, envelope, recipient, log)) chosen.push(recipient)
        }
        for (let at = 0; at < chosen.length; at += concurrency) {
          await Promise.all(
            chosen
              .slice(at, at + concurrency)
              .map((recipient) => deliverTo(recipient, envelope, text)),
          )
        }
        delivered += chosen.length
      }
      log.debug({ channel: channelName, id: envelope.id, delivered }, 'channel event posted')
      return envelope
    },
    async readSince() {
      return { events: [], gap: true }
    },
    listen() {
      return () => {}
    },
    async close() {},
  }
}
