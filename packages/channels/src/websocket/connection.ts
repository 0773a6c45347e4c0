import { randomUUID } from 'node:crypto'
import {
  ActionError,
  toActionError,
  websocketCloseCodeOf,
  parseClientFrame,
  serializeEnvelope,
  serializeErrorFrame,
  type Authorization,
  type ChannelEnvelope,
  type ChannelHub,
  type Logger,
  type Subscription,
} from '@servey/core'
import type { WebSocket } from 'ws'
import type { ChannelLimits } from '../limits.ts'

export interface ConnectionSettings {
  readonly hub: ChannelHub
  /** Verifies an `Authorization` header value (core's authenticator, as REST uses it). */
  readonly authenticate: (header: string | undefined) => Promise<Authorization | null>
  readonly limits: ChannelLimits
  readonly log: Logger
}

export interface ConnectionStart {
  /** The upgrade's `Authorization` header, or the bearer subprotocol's token. */
  readonly authorizationHeader: string | undefined
  /** `WS /channels/<name>`: the one channel this socket serves; undefined when multiplexed. */
  readonly channel: string | undefined
  readonly since: string | undefined
}

// An event goes to every subscriber of its channel: its frame is encoded to UTF-8 once and the
// same bytes go to each socket, where a string would be encoded again for every socket.
const frameBytes = new WeakMap<ChannelEnvelope, Buffer>()

// One options object for every send, not one allocated per socket per event.
const AS_TEXT = { binary: false } as const

/**
 * Pings a client may have waiting for their pong. `ws`'s own answer to more (its
 * `maxPendingAutoPongs`, also 60) cuts the TCP connection without a close frame, so a client
 * saw 1006 and no reason; here the flood gets a TOO_MANY_REQUESTS error frame and its close code.
 */
export const MAX_PENDING_PONGS = 60

function envelopeFrame(envelope: ChannelEnvelope): Buffer {
  let bytes = frameBytes.get(envelope)
  if (bytes === undefined) {
    bytes = Buffer.from(serializeEnvelope(envelope))
    frameBytes.set(envelope, bytes)
  }
  return bytes
}

interface Held {
  subscription: Subscription | undefined
  lastId: string | undefined
}

/**
 * One websocket client: its authorization, its subscriptions (one channel, or many over
 * `WS /channels`), its frames and its send buffer. Every failure is a `{type:"error"}` frame or
 * a close code from core's transport table, never an exception out of here.
 */
export class ChannelConnection {
  alive = true
  /** Sent in every `subscribed` frame; `publish(channel, event, { to })` reaches this socket alone. */
  readonly id = randomUUID()
  readonly #socket: WebSocket
  readonly #settings: ConnectionSettings
  readonly #start: ConnectionStart
  readonly #held = new Map<string, Held>()
  #authorization: Authorization | null = null
  /**
   * Whether the upgrade's credentials were verified (false: refused, the socket is closing).
   * Frames wait for it: a client may send `subscribe` the moment the socket opens, and before
   * this, such a frame was taken as anonymous (UNAUTHENTICATED) while the token was being
   * verified (found by pnpm fuzz).
   */
  #ready: Promise<boolean> = Promise.resolve(true)
  #awaitingAuth = false
  #authTimer: NodeJS.Timeout | undefined
  #closed = false
  #pendingPongs = 0
  readonly #pongSent = (): void => {
    this.#pendingPongs--
  }

  constructor(socket: WebSocket, settings: ConnectionSettings, start: ConnectionStart) {
    this.#socket = socket
    this.#settings = settings
    this.#start = start
    socket.on('pong', () => (this.alive = true))
    // The server's WebSocketServer leaves pongs to us (autoPong: false): see MAX_PENDING_PONGS.
    socket.on('ping', (data) => this.#onPing(data))
    socket.on('message', (data, isBinary) => {
      this.alive = true
      void this.#onMessage(data as Buffer, isBinary)
    })
    socket.on('close', () => this.#dispose())
    socket.on('error', (error) => {
      // ws reports oversized frames here and then closes with 1009 itself.
      settings.log.debug({ err: error }, 'channel websocket error')
    })
  }

  get closed(): boolean {
    return this.#closed
  }

  start(): Promise<void> {
    this.#ready = this.#verifyUpgrade()
    return this.#begin()
  }

  async #verifyUpgrade(): Promise<boolean> {
    const header = this.#start.authorizationHeader
    if (header === undefined) return true
    try {
      this.#authorization = await this.#settings.authenticate(header)
      return true
    } catch (error) {
      this.fail(toActionError(error))
      return false
    }
  }

  async #begin(): Promise<void> {
    if (!(await this.#ready)) return
    const { authorizationHeader, channel, since } = this.#start
    if (channel === undefined) return
    let needsAuth = false
    try {
      needsAuth =
        authorizationHeader === undefined &&
        this.#settings.hub.channel(channel).definition.access.kind !== 'allow_all'
    } catch (error) {
      this.fail(toActionError(error))
      return
    }
    if (needsAuth) {
      this.#awaitAuth()
      return
    }
    await this.#subscribe(channel, since, true)
  }

  /** Send an error frame and close with the error's code. */
  fail(error: ActionError, channel?: string): void {
    this.#sendError(error, channel)
    this.close(websocketCloseCodeOf(error), error.code)
  }

  close(code: number, reason: string): void {
    if (this.#closed) return
    this.#dispose()
    if (this.#socket.readyState === this.#socket.OPEN) this.#socket.close(code, reason)
    // A peer that does not answer the close handshake (it stopped reading) is cut off.
    setTimeout(() => this.#socket.terminate(), 2_000).unref()
  }

  ping(): void {
    if (!this.alive) {
      this.#socket.terminate()
      return
    }
    this.alive = false
    this.#socket.ping()
  }

  #onPing(data: Buffer): void {
    this.alive = true
    if (this.#closed) return
    if (this.#pendingPongs >= MAX_PENDING_PONGS) {
      this.fail(
        new ActionError(
          'TOO_MANY_REQUESTS',
          `More than ${MAX_PENDING_PONGS} pings are waiting for their pong: wait for them`,
        ),
      )
      return
    }
    this.#pendingPongs++
    this.#socket.pong(data, false, this.#pongSent)
  }

  #awaitAuth(): void {
    this.#awaitingAuth = true
    this.#authTimer = setTimeout(() => {
      this.fail(
        new ActionError(
          'UNAUTHENTICATED',
          'Send {"type":"auth","token":"..."} first: this channel needs a token',
        ),
      )
    }, this.#settings.limits.authTimeoutMs)
    this.#authTimer.unref()
  }

  /** A text frame: a string, or its UTF-8 bytes (sent as text all the same). */
  #send(text: string | Buffer): void {
    if (this.#closed) return
    if (this.#socket.bufferedAmount + text.length > this.#settings.limits.maxBufferedBytes) {
      this.#settings.log.warn(
        { buffered: this.#socket.bufferedAmount },
        'channel subscriber too slow: closing it (1013)',
      )
      this.close(websocketCloseCodeOf(new ActionError('SLOW_CONSUMER')), 'SLOW_CONSUMER')
      return
    }
    this.#socket.send(text, AS_TEXT)
  }

  #sendError(error: ActionError, channel?: string): void {
    if (this.#closed || this.#socket.readyState !== this.#socket.OPEN) return
    this.#socket.send(serializeErrorFrame(error, channel))
  }

  async #onMessage(data: Buffer, isBinary: boolean): Promise<void> {
    if (!(await this.#ready)) return
    try {
      if (isBinary) {
        throw new ActionError('UNSUPPORTED_MEDIA_TYPE', 'Frames must be text (JSON), not binary')
      }
      const frame = parseClientFrame(data.toString('utf8'))
      if (frame.type === 'auth') {
        await this.#onAuth(frame.token)
        return
      }
      if (this.#start.channel !== undefined) {
        throw new ActionError(
          'BAD_REQUEST',
          `This socket serves the channel ${this.#start.channel} only: subscribe to others over /channels`,
        )
      }
      if (frame.type === 'subscribe') {
        await this.#subscribe(frame.channel, frame.since, false)
      } else {
        const name = this.#canonical(frame.channel)
        this.#held.get(name)?.subscription?.close()
        this.#held.delete(name)
        this.#sendControl({ type: 'unsubscribed', channel: name })
      }
    } catch (error) {
      this.#sendError(toActionError(error))
    }
  }

  async #onAuth(token: string): Promise<void> {
    try {
      this.#authorization = await this.#settings.authenticate(`Bearer ${token}`)
    } catch (error) {
      this.fail(toActionError(error))
      return
    }
    clearTimeout(this.#authTimer)
    this.#sendControl({ type: 'authenticated', subject: this.#authorization?.subject ?? null })
    if (this.#awaitingAuth) {
      this.#awaitingAuth = false
      await this.#subscribe(this.#start.channel as string, this.#start.since, true)
      return
    }
    // Existing subscriptions continue as the new caller, from the last event they saw.
    for (const [name, held] of [...this.#held]) {
      held.subscription?.close()
      await this.#subscribe(name, held.lastId, this.#start.channel !== undefined, true)
    }
  }

  #canonical(name: string): string {
    try {
      return this.#settings.hub.channel(name).name
    } catch {
      return name
    }
  }

  async #subscribe(
    name: string,
    since: string | undefined,
    single: boolean,
    quiet = false,
  ): Promise<void> {
    const known = this.#held.get(this.#canonical(name))
    if (known === undefined && this.#held.size >= this.#settings.limits.maxSubscriptions) {
      this.#sendError(
        new ActionError(
          'TOO_MANY_REQUESTS',
          `At most ${this.#settings.limits.maxSubscriptions} subscriptions per connection`,
        ),
        name,
      )
      return
    }
    known?.subscription?.close()
    const held: Held = { subscription: undefined, lastId: since }
    try {
      const subscription = await this.#settings.hub.subscribe(name, {
        authorization: this.#authorization,
        connectionId: this.id,
        ...(since === undefined ? {} : { since }),
        deliver: (envelope: ChannelEnvelope) => {
          held.lastId = envelope.id
          this.#send(envelopeFrame(envelope))
        },
        gap: (info) =>
          this.#sendControl({ type: 'resume_gap', channel: info.channel, since: info.since }),
      })
      if (this.#closed) {
        subscription.close()
        return
      }
      held.subscription = subscription
      this.#held.set(subscription.channel.name, held)
      if (!quiet)
        this.#sendControl({
          type: 'subscribed',
          channel: subscription.channel.name,
          connection: this.id,
        })
    } catch (error) {
      const actionError = toActionError(error)
      this.#held.delete(this.#canonical(name))
      if (single) this.fail(actionError, name)
      else this.#sendError(actionError, name)
    }
  }

  #sendControl(frame: Record<string, unknown>): void {
    this.#send(JSON.stringify(frame))
  }

  #dispose(): void {
    if (this.#closed) return
    this.#closed = true
    clearTimeout(this.#authTimer)
    for (const held of this.#held.values()) held.subscription?.close()
    this.#held.clear()
  }
}
