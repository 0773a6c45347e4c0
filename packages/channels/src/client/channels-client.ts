import type { Channel, Static, TSchema } from '@servey/core'

/**
 * The part of the WHATWG WebSocket this client uses: the browser's, Node 22's global one, or
 * `ws`'s (`import WebSocket from 'ws'`) on Node 20.
 */
export interface WebSocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((event: unknown) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  onclose: ((event: { code: number; reason: string }) => void) | null
  onerror: ((event: unknown) => void) | null
}

export type WebSocketConstructor = new (url: string) => WebSocketLike

const OPEN = 1

/** The event type of a channel declared with `channel(name, { payload })`. */
export type EventOf<C> = C extends Channel<infer P extends TSchema> ? Static<P> : unknown

export interface EventMeta {
  readonly channel: string
  /** The event's id: what `since` resumes after. */
  readonly id: string
}

/** A refused frame or subscription, as the server's error frame says it. */
export interface ChannelsClientError {
  readonly code: string
  readonly detail: string
  readonly channel?: string
}

export interface SubscribeOptions {
  /** Resume after this id: the server replays the kept events after it first. */
  readonly since?: string
  /**
   * The server's history no longer reaches back to the last id: events were missed (reload
   * the state from the API). Called before the replay of what is still kept.
   */
  readonly onGap?: (since: string) => void
  /** The subscription was refused (`UNAUTHENTICATED`, `FORBIDDEN`, `NOT_FOUND`...): it ends. */
  readonly onError?: (error: ChannelsClientError) => void
  /**
   * The server confirmed the subscription, on every (re)connection; `connection` is this
   * socket's id, for `publish(event, { to: connection })` on the server.
   */
  readonly onSubscribed?: (connection: string) => void
}

export interface Subscription {
  readonly channel: string
  /** The id of the last event received, from which a reconnect resumes. */
  readonly lastId: string | undefined
  unsubscribe(): void
}

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed'

export interface ChannelsClientOptions {
  /** The multiplexed endpoint, e.g. `ws://127.0.0.1:8000/channels` or `wss://api.example.com/channels`. */
  readonly url: string
  /**
   * A bearer token, or a function that returns a fresh one for each connection (it is sent as
   * the first frame, the one way every browser can authenticate a websocket).
   */
  readonly token?: string | (() => string | undefined | Promise<string | undefined>)
  /** Default `globalThis.WebSocket`; on Node 20 pass `ws`'s. */
  readonly WebSocket?: WebSocketConstructor
  /** First reconnect delay (doubled each time, with jitter, up to `maxDelayMs`). Default 250 ms. */
  readonly initialDelayMs?: number
  /** Default 10 s. */
  readonly maxDelayMs?: number
  readonly onStateChange?: (state: ConnectionState) => void
  /** Errors that concern no subscription (a refused token, a malformed frame). */
  readonly onError?: (error: ChannelsClientError) => void
}

export interface ChannelsClient {
  subscribe<C extends Channel>(
    channel: C,
    handler: (event: EventOf<C>, meta: EventMeta) => void,
    options?: SubscribeOptions,
  ): Subscription
  subscribe<TEvent = unknown>(
    channel: string,
    handler: (event: TEvent, meta: EventMeta) => void,
    options?: SubscribeOptions,
  ): Subscription
  readonly state: ConnectionState
  /** Closes the socket for good; subscriptions end. */
  close(): void
}

interface Entry {
  readonly channel: string
  readonly handler: (event: unknown, meta: EventMeta) => void
  readonly options: SubscribeOptions
  lastId: string | undefined
  active: boolean
}

interface ServerFrame {
  readonly type?: unknown
  readonly channel?: unknown
  readonly id?: unknown
  readonly event?: unknown
  readonly code?: unknown
  readonly detail?: unknown
  readonly since?: unknown
}

function parseFrame(data: unknown): ServerFrame | undefined {
  if (typeof data !== 'string') return undefined
  try {
    const value: unknown = JSON.parse(data)
    return typeof value === 'object' && value !== null ? (value as ServerFrame) : undefined
  } catch {
    return undefined
  }
}

function errorOf(frame: ServerFrame): ChannelsClientError {
  return {
    code: typeof frame.code === 'string' ? frame.code : 'INTERNAL',
    detail: typeof frame.detail === 'string' ? frame.detail : '',
    ...(typeof frame.channel === 'string' ? { channel: frame.channel } : {}),
  }
}

/**
 * A typed client for Servey's event channels over one multiplexed websocket (`WS /channels`):
 * it subscribes, reconnects with backoff when the connection drops, and then resubscribes each
 * channel from the last event id it received, so nothing kept by the server is missed (and a
 * `resume_gap` says when something was). Written by hand: no websocket library speaks this
 * protocol, and the client must run in browsers, so it imports nothing at runtime.
 */
export function createChannelsClient(options: ChannelsClientOptions): ChannelsClient {
  const Socket =
    options.WebSocket ??
    (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket ??
    missingWebSocket()
  const initialDelay = options.initialDelayMs ?? 250
  const maxDelay = options.maxDelayMs ?? 10_000
  const entries = new Map<string, Entry>()
  let socket: WebSocketLike | undefined
  let state: ConnectionState = 'connecting'
  let attempt = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  // Subscribe frames wait until the socket is open and, with a token, authenticated.
  let ready = false

  const setState = (next: ConnectionState): void => {
    if (state === next) return
    state = next
    options.onStateChange?.(next)
  }

  const send = (frame: Record<string, unknown>): void => {
    if (ready && socket?.readyState === OPEN) socket.send(JSON.stringify(frame))
  }

  const subscribeFrame = (entry: Entry): Record<string, unknown> => {
    const since = entry.lastId ?? entry.options.since
    return { type: 'subscribe', channel: entry.channel, ...(since === undefined ? {} : { since }) }
  }

  const becomeReady = (): void => {
    ready = true
    attempt = 0
    setState('open')
    for (const entry of entries.values()) if (entry.active) send(subscribeFrame(entry))
  }

  const onFrame = (frame: ServerFrame): void => {
    if (frame.type === undefined && typeof frame.channel === 'string') {
      const entry = entries.get(frame.channel)
      if (entry === undefined || !entry.active || typeof frame.id !== 'string') return
      entry.lastId = frame.id
      entry.handler(frame.event, { channel: frame.channel, id: frame.id })
      return
    }
    switch (frame.type) {
      case 'authenticated':
        if (!ready) becomeReady()
        return
      case 'subscribed': {
        const entry = typeof frame.channel === 'string' ? entries.get(frame.channel) : undefined
        const connection = (frame as { connection?: unknown }).connection
        if (entry?.active === true) entry.options.onSubscribed?.(String(connection))
        return
      }
      case 'resume_gap': {
        const entry = typeof frame.channel === 'string' ? entries.get(frame.channel) : undefined
        entry?.options.onGap?.(typeof frame.since === 'string' ? frame.since : '')
        return
      }
      case 'error': {
        const error = errorOf(frame)
        const entry = error.channel === undefined ? undefined : entries.get(error.channel)
        if (entry !== undefined) {
          // A refused subscription stays refused: resubscribing on every reconnect would
          // only be refused again.
          entry.active = false
          entries.delete(entry.channel)
          entry.options.onError?.(error)
        } else {
          options.onError?.(error)
          // A refused token: go on without it, as the server does; protected channels will
          // answer with their own errors.
          if (!ready) becomeReady()
        }
        return
      }
      default:
        return
    }
  }

  const scheduleReconnect = (): void => {
    setState('reconnecting')
    const base = Math.min(maxDelay, initialDelay * 2 ** attempt)
    attempt += 1
    // Full jitter: a server restart must not be met by every client at the same instant.
    timer = setTimeout(connect, base / 2 + Math.random() * (base / 2))
  }

  function connect(): void {
    timer = undefined
    ready = false
    const current = new Socket(options.url)
    socket = current
    current.onopen = () => {
      void (async () => {
        const token = typeof options.token === 'function' ? await options.token() : options.token
        if (socket !== current || current.readyState !== OPEN) return
        if (token === undefined || token === '') becomeReady()
        else current.send(JSON.stringify({ type: 'auth', token }))
      })()
    }
    current.onmessage = (event) => {
      if (socket !== current) return
      const frame = parseFrame(event.data)
      if (frame !== undefined) onFrame(frame)
    }
    current.onerror = () => undefined
    current.onclose = () => {
      if (socket !== current) return
      socket = undefined
      ready = false
      if (state !== 'closed') scheduleReconnect()
    }
  }

  connect()

  return {
    get state() {
      return state
    },
    subscribe(
      channel: Channel | string,
      handler: (event: never, meta: EventMeta) => void,
      subscribeOptions: SubscribeOptions = {},
    ): Subscription {
      const name = typeof channel === 'string' ? channel : channel.name
      const entry: Entry = {
        channel: name,
        handler: handler as (event: unknown, meta: EventMeta) => void,
        options: subscribeOptions,
        lastId: undefined,
        active: true,
      }
      const previous = entries.get(name)
      if (previous !== undefined) previous.active = false
      entries.set(name, entry)
      send(subscribeFrame(entry))
      return {
        channel: name,
        get lastId() {
          return entry.lastId
        },
        unsubscribe() {
          if (!entry.active) return
          entry.active = false
          if (entries.get(name) === entry) {
            entries.delete(name)
            send({ type: 'unsubscribe', channel: name })
          }
        },
      }
    },
    close() {
      setState('closed')
      if (timer !== undefined) clearTimeout(timer)
      for (const entry of entries.values()) entry.active = false
      entries.clear()
      socket?.close(1000, 'client closed')
      socket = undefined
    },
  }
}

function missingWebSocket(): never {
  throw new TypeError(
    'No WebSocket here: on Node 20 pass one, e.g. createChannelsClient({ url, WebSocket: (await import("ws")).default })',
  )
}
