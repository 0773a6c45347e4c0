import {
  ActionError,
  httpStatusOf,
  offeredProtocols,
  parseClientFrame,
  serializeErrorFrame,
  toActionError,
  upgradeAuthorization,
  BEARER_PROTOCOL,
  type Authorization,
  type ChannelHub,
  type Logger,
} from '@servey/core'
import type { ConnectionPoster } from './connection-poster.ts'
import type { ConnectionStore, StoredConnection } from './connection-store.ts'

/** What a websocket route answers: API Gateway sends `body` back as a frame ($default). */
export interface WebsocketResult {
  readonly statusCode: number
  readonly headers?: Record<string, string>
  readonly body?: string
}

export interface WebsocketSettings {
  readonly hub: ChannelHub
  /** Verifies an `Authorization` header value (the invoker's authenticator). */
  readonly authenticate: (header: string | undefined) => Promise<Authorization | null>
  readonly store: ConnectionStore
  readonly poster: ConnectionPoster
  readonly log: Logger
  /** Overrides the management endpoint derived from the event (SERVEY_WEBSOCKET_ENDPOINT). */
  readonly endpoint?: string | undefined
  /** Subscriptions per connection, as on the server. Default 100. */
  readonly maxSubscriptions?: number
  /** Largest client frame in bytes, as on the server. Default 64 KiB. */
  readonly maxFrameBytes?: number
}

type Event = Record<string, unknown>

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

function headerOf(event: Event, name: string): string | undefined {
  const headers = event['headers']
  if (typeof headers !== 'object' || headers === null) return undefined
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (key.toLowerCase() === name) return text(value)
  }
  return undefined
}

function queryOf(event: Event, name: string): string | undefined {
  const query = event['queryStringParameters']
  if (typeof query !== 'object' || query === null) return undefined
  return text((query as Record<string, unknown>)[name])
}

/**
 * What a connection id may be: API Gateway's are 16 characters of base64 (`L0SM9cOFvHcCIhw=`),
 * serverless-offline's are longer. Anything else (empty, control characters, past DynamoDB's
 * 2,048-byte key) never came from API Gateway: refused as BAD_REQUEST before the table is
 * asked, which would fail with a ValidationException, a 500.
 */
const CONNECTION_ID = /^[\x21-\x7e]{1,128}$/

const control = (frame: Record<string, unknown>): WebsocketResult => ({
  statusCode: 200,
  body: JSON.stringify(frame),
})

/**
 * The websocket routes of API Gateway, speaking the server's protocol (core's frames):
 * `$connect` authenticates from the `Authorization` header or a `bearer` subprotocol token (and
 * selects that subprotocol), `$default` takes `subscribe`, `unsubscribe` and `auth` frames and
 * answers each with one frame, `$disconnect` forgets the connection. Access is checked on
 * subscribe, and the verified authorization is stored with every subscription, so publishing
 * functions apply access and filters per subscriber.
 */
export async function answerWebsocket(
  event: Event,
  settings: WebsocketSettings,
  requestId?: string,
): Promise<WebsocketResult> {
  const context = event['requestContext'] as Event
  const routeKey = String(context['routeKey'])
  const connectionId = String(context['connectionId'])
  const log = settings.log
  try {
    if (!CONNECTION_ID.test(connectionId)) {
      throw new ActionError('BAD_REQUEST', 'The event has no connection id API Gateway could make')
    }
    if (routeKey === '$connect') return await connect(event, context, connectionId, settings)
    if (routeKey === '$disconnect') {
      await settings.store.remove(connectionId)
      return { statusCode: 200 }
    }
    return await onFrame(event, connectionId, settings)
  } catch (thrown) {
    const error = toActionError(thrown)
    if (error.status >= 500) {
      log.error(
        { err: thrown, requestId, routeKey, connection: connectionId },
        'websocket route failed',
      )
    }
    if (routeKey === '$connect' || routeKey === '$disconnect') {
      return { statusCode: httpStatusOf(error) }
    }
    return { statusCode: 200, body: serializeErrorFrame(error) }
  }
}

function endpointOf(context: Event, settings: WebsocketSettings): string {
  if (settings.endpoint !== undefined && settings.endpoint !== '') return settings.endpoint
  return `https://${String(context['domainName'])}/${String(context['stage'])}`
}

async function connect(
  event: Event,
  context: Event,
  connectionId: string,
  settings: WebsocketSettings,
): Promise<WebsocketResult> {
  const protocols = offeredProtocols(headerOf(event, 'sec-websocket-protocol'))
  const header = upgradeAuthorization(headerOf(event, 'authorization'), protocols)
  const authorization = await settings.authenticate(header)
  const connection: StoredConnection = {
    connectionId,
    endpoint: endpointOf(context, settings),
    authorization,
  }
  // `?channel=<name>` subscribes at connect, like the server's `WS /channels/<name>`: a caller
  // without access is refused before the socket opens (401 or 403).
  const channel = queryOf(event, 'channel')
  const found =
    channel === undefined ? undefined : await settings.hub.authorize(channel, authorization)
  await settings.store.connect(connection)
  if (found !== undefined) await settings.store.subscribe(connection, found.name)
  // A browser that offered `bearer, <token>` fails the handshake unless one is selected.
  return protocols.includes(BEARER_PROTOCOL)
    ? { statusCode: 200, headers: { 'Sec-WebSocket-Protocol': BEARER_PROTOCOL } }
    : { statusCode: 200 }
}

async function onFrame(
  event: Event,
  connectionId: string,
  settings: WebsocketSettings,
): Promise<WebsocketResult> {
  const { store, hub } = settings
  const body = text(event['body']) ?? ''
  if (event['isBase64Encoded'] === true) {
    throw new ActionError('UNSUPPORTED_MEDIA_TYPE', 'Frames must be text (JSON), not binary')
  }
  const maxBytes = settings.maxFrameBytes ?? 64 * 1024
  if (Buffer.byteLength(body) > maxBytes) {
    throw new ActionError('PAYLOAD_TOO_LARGE', `A frame may have at most ${maxBytes} bytes`)
  }
  const frame = parseClientFrame(body)
  const connection = await store.get(connectionId)
  if (connection === undefined) {
    throw new ActionError('UNAUTHENTICATED', 'This connection is no longer known: reconnect')
  }
  if (frame.type === 'auth') return authenticate(frame.token, connection, settings)
  if (frame.type === 'unsubscribe') {
    let name: string
    try {
      name = hub.channel(frame.channel).name
    } catch {
      // Unsubscribing from a channel that does not exist is a no-op, as on the server. The
      // table is not asked: it holds only declared channels, beside the connection's own row
      // (`#connection`), which an unsubscribe from that name would otherwise delete.
      return control({ type: 'unsubscribed', channel: frame.channel })
    }
    await store.unsubscribe(connectionId, name)
    return control({ type: 'unsubscribed', channel: name })
  }
  try {
    const channel = await hub.authorize(frame.channel, connection.authorization)
    const held = await store.channelsOf(connectionId)
    const max = settings.maxSubscriptions ?? 100
    if (!held.includes(channel.name) && held.length >= max) {
      throw new ActionError('TOO_MANY_REQUESTS', `At most ${max} subscriptions per connection`)
    }
    await store.subscribe(connection, channel.name)
    if (frame.since !== undefined) {
      // A function keeps no history, so what was missed cannot be replayed: say so, as the
      // server does when its history no longer reaches back (posted before the answer).
      await settings.poster.post(
        connection.endpoint,
        connectionId,
        JSON.stringify({ type: 'resume_gap', channel: channel.name, since: frame.since }),
      )
    }
    return control({ type: 'subscribed', channel: channel.name, connection: connectionId })
  } catch (thrown) {
    const error = toActionError(thrown)
    return { statusCode: 200, body: serializeErrorFrame(error, frame.channel) }
  }
}

async function authenticate(
  token: string,
  connection: StoredConnection,
  settings: WebsocketSettings,
): Promise<WebsocketResult> {
  let authorization: Authorization | null
  try {
    authorization = await settings.authenticate(`Bearer ${token}`)
  } catch (thrown) {
    // As on the server: a refused token ends the connection, after its error frame.
    const error = toActionError(thrown)
    await settings.poster.post(
      connection.endpoint,
      connection.connectionId,
      serializeErrorFrame(error),
    )
    await settings.poster.close(connection.endpoint, connection.connectionId)
    await settings.store.remove(connection.connectionId)
    return { statusCode: 200 }
  }
  // The connection and its subscriptions continue as the new caller: access and filters see
  // it from the next event on.
  await settings.store.reauthorize({ ...connection, authorization })
  return control({ type: 'authenticated', subject: authorization?.subject ?? null })
}
