import type { Authorization } from '../action/context.ts'
import { ActionError, toActionError } from '../errors/action-error.ts'
import { silentLogger, type Logger } from '../log/logger.ts'
import type { Registry } from '../registry/registry.ts'
import { summarizeIssues } from '../schema/validator.ts'
import {
  checkAccessAfterValidation,
  checkAccessBeforeValidation,
  checkValidity,
} from '../security/check-access.ts'
import {
  CHANNEL_KEY,
  isChannel,
  type AnyChannel,
  type ChannelEnvelope,
  type ChannelPublisher,
  type PublishOptions,
} from './channel.ts'
import type { ChannelBackend, HistoryLimits } from './channel-backend.ts'
import { bindChannelPublisher } from './define-channel.ts'
import { compareParsedIds, parseEventId, type ParsedEventId } from './event-id.ts'
import { createMemoryChannelBackend } from './memory-channel-backend.ts'
import { dispatchHandlers, planHandlers } from './dispatch-handlers.ts'
import type { ChannelHandlerRuntime } from './handler-runtime.ts'
import type { RegisteredChannel } from './registered-channel.ts'
import { passesFilter } from './should-deliver.ts'

export interface ChannelHubOptions {
  /**
   * Default: in process, with `history` limits. A backend passed in outlives the hub (a dev
   * reload makes a new hub over the same backend): `close()` closes only a backend it made.
   */
  readonly backend?: ChannelBackend
  /** For the default backend: default the last 1,000 events or 5 minutes per channel. */
  readonly history?: Partial<HistoryLimits>
  readonly log?: Logger
  /**
   * Bind `channel.publish` of the registry's channels to this hub (default true). Tests that
   * run two hubs over one app in one process may turn it off and publish through a hub.
   */
  readonly bind?: boolean
  /**
   * Where channel handlers run: a job runner for background actions, a webhook sender for
   * webhooks. Without the port a selected handler needs, its publish fails with UNAVAILABLE
   * before any subscriber sees the event.
   */
  readonly handlers?: ChannelHandlerRuntime
}

export interface Subscriber {
  /** The verified subscriber (null: anonymous); the channel's filter sees it. */
  readonly authorization: Authorization | null
  /** The transport's id for this connection: events published `to` it reach it alone. */
  readonly connectionId?: string
  /** Resume after this id: kept events after it are delivered first, in order. */
  readonly since?: string
  /** Called once per event, in id order. Must not throw; a transport buffers or drops. */
  deliver(envelope: ChannelEnvelope): void
  /** The history no longer reaches back to `since`: some events were missed. */
  gap?(info: { readonly channel: string; readonly since: string }): void
}

export interface Subscription {
  readonly channel: RegisteredChannel
  close(): void
}

export interface ChannelHub extends ChannelPublisher {
  readonly registry: Registry
  readonly backend: ChannelBackend
  /** The channel by name or kebab-name; rejects with UNKNOWN_CHANNEL. */
  channel(name: string): RegisteredChannel
  /** Check that this caller may subscribe: UNKNOWN_CHANNEL, UNAUTHENTICATED or FORBIDDEN. */
  authorize(name: string, authorization: Authorization | null): Promise<RegisteredChannel>
  /** Authorize, then deliver missed events (from `since`) followed by live ones. */
  subscribe(name: string, subscriber: Subscriber): Promise<Subscription>
  close(): Promise<void>
}

interface Live {
  readonly subscriber: Subscriber
  readonly channel: RegisteredChannel
  /** Live events that arrived while the history was being read. */
  pending: ChannelEnvelope[] | undefined
  /** The last id delivered (or resumed from), parsed once: compared for every event. */
  last: ParsedEventId | undefined
  closed: boolean
}

/**
 * The channel hub: validates and publishes events, checks subscribers' access, applies each
 * channel's filter per subscriber and per event, and replays history on resume. Transports
 * (websocket, SSE) subscribe through it; handlers publish through it (`context.publish`,
 * `channel.publish`). It knows no transport.
 */
export function createChannelHub(registry: Registry, options: ChannelHubOptions = {}): ChannelHub {
  const runtime = options.handlers
  const ownsBackend = options.backend === undefined
  const backend = options.backend ?? createMemoryChannelBackend(options.history)
  const log = options.log ?? silentLogger
  const live = new Map<string, Set<Live>>()

  const find = (name: string): RegisteredChannel => {
    const found = registry.channel(name) ?? registry.channel(name.replaceAll('-', '_'))
    if (found === undefined) {
      throw new ActionError('UNKNOWN_CHANNEL', `No channel is named '${name.slice(0, 100)}'`)
    }
    return found
  }

  const passes = (entry: Live, envelope: ChannelEnvelope): boolean =>
    passesFilter(entry.channel, envelope, entry.subscriber.authorization, log)

  // `id` is `envelope.id` parsed: once per event, not once per subscriber.
  const send = (entry: Live, envelope: ChannelEnvelope, id: ParsedEventId | undefined): void => {
    if (entry.closed) return
    if (id !== undefined) {
      if (entry.last !== undefined && compareParsedIds(id, entry.last) <= 0) return
      entry.last = id
    }
    if (envelope.to !== undefined && envelope.to !== entry.subscriber.connectionId) return
    if (passes(entry, envelope)) entry.subscriber.deliver(envelope)
  }

  const stopListening = backend.listen((envelope) => {
    const entries = live.get(envelope.channel)
    if (entries === undefined) return
    const id = parseEventId(envelope.id)
    for (const entry of entries) {
      if (entry.pending !== undefined) entry.pending.push(envelope)
      else send(entry, envelope, id)
    }
  })

  // A backend fed by other processes learns which channels to receive; a failure here shows
  // again, with its code, on the first publish or resume, so it is only logged.
  backend.watch?.(registry.channels.map((channel) => channel.name))?.catch((error: unknown) => {
    log.error({ err: error }, 'the channel backend could not start receiving events')
  })

  const authorize = async (name: string, authorization: Authorization | null) => {
    const found = find(name)
    const access = found.definition.access
    checkValidity(authorization)
    checkAccessBeforeValidation(access, authorization)
    await checkAccessAfterValidation(access, authorization, {})
    return found
  }

  const hub: ChannelHub = {
    registry,
    backend,
    channel: find,
    authorize,
    async publish(target: string | AnyChannel, event: unknown, options?: PublishOptions) {
      const found = isChannel(target) ? find(target[CHANNEL_KEY].name) : find(target)
      const issues = found.checkEvent(event)
      if (issues !== null) {
        throw new ActionError(
          'INVALID_EVENT',
          `Event for channel ${found.name} does not match its payload schema: ${summarizeIssues(issues)}`,
          { issues },
        )
      }
      const publisher = options?.authorization ?? null
      const planned = planHandlers(found, event, publisher, runtime, log)
      let envelope: ChannelEnvelope
      try {
        envelope = await backend.append(found.name, event, options?.to)
      } catch (error) {
        throw new ActionError('UNAVAILABLE', `Channel ${found.name} could not publish`, {
          cause: toActionError(error),
        })
      }
      if (planned.length > 0) {
        await dispatchHandlers(found, planned, envelope, publisher, runtime!, log)
      }
      return envelope
    },
    async subscribe(name, subscriber) {
      const channel = await authorize(name, subscriber.authorization)
      const since = subscriber.since
      const resumeFrom = since === undefined ? undefined : parseEventId(since)
      if (since !== undefined && resumeFrom === undefined) {
        throw new ActionError('BAD_REQUEST', `'since' must be an event id such as 1733400000000-0`)
      }
      const entry: Live = {
        subscriber,
        channel,
        pending: since === undefined ? undefined : [],
        last: resumeFrom,
        closed: false,
      }
      let entries = live.get(channel.name)
      if (entries === undefined) live.set(channel.name, (entries = new Set()))
      entries.add(entry)
      const subscription: Subscription = {
        channel,
        close() {
          entry.closed = true
          entries.delete(entry)
        },
      }
      if (since === undefined) return subscription
      try {
        const read = await backend.readSince(channel.name, since)
        if (read.gap) subscriber.gap?.({ channel: channel.name, since })
        for (const envelope of read.events) send(entry, envelope, parseEventId(envelope.id))
      } catch (error) {
        subscription.close()
        throw new ActionError('UNAVAILABLE', `The history of ${channel.name} could not be read`, {
          cause: error,
        })
      }
      const pending = entry.pending ?? []
      entry.pending = undefined
      for (const envelope of pending) send(entry, envelope, parseEventId(envelope.id))
      return subscription
    },
    async close() {
      stopListening()
      for (const entries of live.values()) for (const entry of entries) entry.closed = true
      live.clear()
      if (ownsBackend) await backend.close()
    },
  }
  if (options.bind ?? true) bindChannelPublisher(registry.channels, hub)
  return hub
}
