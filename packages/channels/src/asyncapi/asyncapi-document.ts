import {
  BEARER_PROTOCOL,
  QUERY_METHODS,
  describeAccess,
  isWebTrigger,
  webPathOf,
  type Registry,
  type RegisteredChannel,
} from '@servey/core'
import {
  EVENT_ID_SCHEMA,
  EXAMPLE_ID,
  FRAME_MESSAGES,
  MULTIPLEXED_SERVER_FRAMES,
  SINGLE_SERVER_FRAMES,
} from './frame-messages.ts'
import { ComponentSchemas } from '@servey/core/adapter'

type JsonObject = Record<string, unknown>

export interface AsyncApiServer {
  /** `host[:port]`, no scheme: `api.example.com`, `localhost:8000`. */
  readonly host: string
  /** `wss`/`https` when true, else `ws`/`http`. */
  readonly secure?: boolean
  /** A path prefix in front of `/channels`, if the server is mounted under one. */
  readonly pathname?: string
  readonly description?: string
}

export interface AsyncApiOptions {
  readonly title?: string
  readonly version?: string
  readonly description?: string
  readonly license?: { readonly name: string; readonly url?: string }
  readonly contact?: { readonly name?: string; readonly email?: string; readonly url?: string }
  /** Where the channels are served; none by default (the served document names its origin). */
  readonly server?: AsyncApiServer
  /** Document the Server-Sent Events form of each channel too (default true). */
  readonly sse?: boolean
}

/** The multiplexed socket's key in `channels`: a dot never occurs in a channel's name. */
export const MULTIPLEXED_KEY = 'channels.multiplexed'
/** The key of a channel's SSE form in `channels`. */
export const sseKey = (name: string): string => `${name}.sse`
const eventKey = (name: string): string => `event.${name}`
const ref = (pointer: string): JsonObject => ({ $ref: pointer })
const channelRef = (key: string): JsonObject => ref(`#/channels/${key}`)
const messageRef = (channel: string, message: string): JsonObject =>
  ref(`#/channels/${channel}/messages/${message}`)
const frameKey = (name: string): string => `frame.${name}`

const SINCE_QUERY: JsonObject = {
  type: 'object',
  properties: {
    since: { ...EVENT_ID_SCHEMA, description: 'Resume after this event id' },
  },
  additionalProperties: false,
}

const WS_SECURITY = [
  ref('#/components/securitySchemes/bearer'),
  ref('#/components/securitySchemes/bearerProtocol'),
]
const SSE_SECURITY = [ref('#/components/securitySchemes/bearer')]

const SECURITY_SCHEMES: JsonObject = {
  bearer: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'An `Authorization: Bearer <token>` header on the websocket upgrade (or the SSE request). Browsers cannot set it: use the subprotocol or an `auth` frame.',
  },
  bearerProtocol: {
    type: 'httpApiKey',
    in: 'header',
    name: 'Sec-WebSocket-Protocol',
    description: `The subprotocols \`${BEARER_PROTOCOL}\` and the token: \`new WebSocket(url, ['${BEARER_PROTOCOL}', token])\`. The server answers with the subprotocol \`${BEARER_PROTOCOL}\`. A third way is a first \`{"type":"auth","token":"..."}\` frame.`,
  },
}

const isOpen = (channel: RegisteredChannel): boolean =>
  channel.definition.access.kind === 'allow_all'

function accessNote(channel: RegisteredChannel): string {
  const access = describeAccess(channel.definition.access)
  if (isOpen(channel)) return 'Anyone may subscribe.'
  return `Subscribers must be ${access === 'authenticated' ? 'authenticated' : `allowed (${access})`}: a bearer token by header, by the \`${BEARER_PROTOCOL}\` subprotocol or by an \`auth\` frame; otherwise an \`error\` frame (UNAUTHENTICATED or FORBIDDEN) and close 1008.`
}

function eventMessage(channel: RegisteredChannel, schemas: ComponentSchemas): JsonObject {
  const { definition, name } = channel
  const examples = definition.examples.map((example) => ({
    name: example.name,
    ...(example.description === undefined ? {} : { summary: example.description }),
    payload: { channel: name, id: EXAMPLE_ID, event: example.event },
  }))
  return {
    name,
    title: `${name} event`,
    summary: definition.description ?? `An event of the ${name} channel`,
    description:
      'Every event arrives in the envelope `{channel, id, event}`: the channel name, the event id (resume with it) and the event, which matches the channel payload schema (checked when it is published).',
    contentType: 'application/json',
    payload: {
      type: 'object',
      properties: {
        channel: { type: 'string', const: name },
        id: EVENT_ID_SCHEMA,
        event: schemas.hoist(definition.payload),
      },
      required: ['channel', 'id', 'event'],
      additionalProperties: false,
    },
    ...(examples.length === 0 ? {} : { examples }),
  }
}

function accessExtension(channel: RegisteredChannel): JsonObject {
  const { access } = channel.definition
  return {
    'x-servey-access':
      access.kind === 'scopes'
        ? { kind: access.kind, mode: access.mode, scopes: [...access.scopes] }
        : { kind: access.kind, description: describeAccess(access) },
  }
}

/** One action that declares `publishes: [channel]`, as the document and the try-it panel see it. */
export interface ChannelPublisherEntry {
  readonly action: string
  readonly description?: string
  /** Its REST route, when it has a web trigger: what the page's Publish button calls. */
  readonly http?: {
    readonly method: string
    readonly path: string
    readonly input: 'query' | 'body'
  }
  /** The params of its first documented example, to start the page's form from. */
  readonly exampleParams?: unknown
}

/** The actions that declare they publish to `channel`, in name order. */
export function publishersOf(
  registry: Registry,
  channel: RegisteredChannel,
): ChannelPublisherEntry[] {
  return registry.publishersOf(channel.name).map((action) => {
    const { definition } = action
    const web = definition.triggers.find(isWebTrigger)
    const example = definition.examples.find((candidate) => candidate.includeInSchema !== false)
    return {
      action: action.name,
      ...(definition.description === undefined ? {} : { description: definition.description }),
      ...(web === undefined
        ? {}
        : {
            http: {
              method: web.method,
              path: webPathOf(action.kebabName, web),
              input: QUERY_METHODS.has(web.method) ? 'query' : 'body',
            },
          }),
      ...(example === undefined ? {} : { exampleParams: example.params }),
    }
  })
}

function publishersNote(publishers: readonly ChannelPublisherEntry[]): string {
  if (publishers.length === 0) return ''
  const list = publishers
    .map((entry) =>
      entry.http === undefined
        ? `\`${entry.action}\``
        : `\`${entry.action}\` (\`${entry.http.method} ${entry.http.path}\`)`,
    )
    .join(', ')
  return ` Published by ${list}: the actions that declare \`publishes\` with this channel (\`x-servey-publishers\`).`
}

/**
 * The AsyncAPI 3.0 document of an app's event channels, as `serveyChannels` serves them: per
 * channel `WS /channels/<kebab-name>` (and its Server-Sent Events form), and the multiplexed
 * `WS /channels` with its subscribe, unsubscribe and auth frames. Every frame is described as
 * it is sent: events in the `{channel, id, event}` envelope, errors as `{type:"error", code,
 * detail}`. The document describes the server, so `send` is what the server sends.
 */
export function buildAsyncApiDocument(
  registry: Registry,
  options: AsyncApiOptions = {},
): JsonObject {
  const schemas = new ComponentSchemas()
  const sse = options.sse ?? true
  const messages: JsonObject = { ...FRAME_MESSAGES }
  const channels: JsonObject = {}
  const operations: JsonObject = {}
  const hasServer = options.server !== undefined

  for (const channel of registry.channels) {
    const { name, kebabName, definition } = channel
    const publishers = publishersOf(registry, channel)
    messages[eventKey(name)] = eventMessage(channel, schemas)
    const single: JsonObject = {
      [name]: ref(`#/components/messages/${eventKey(name)}`),
      auth: ref(`#/components/messages/${frameKey('auth')}`),
    }
    for (const frame of SINGLE_SERVER_FRAMES) {
      single[frame] = ref(`#/components/messages/${frameKey(frame)}`)
    }
    channels[name] = {
      address: `/channels/${kebabName}`,
      title: name,
      ...(definition.description === undefined ? {} : { summary: definition.description }),
      description: `A websocket for the ${name} channel alone: connect to \`/channels/${kebabName}\` (\`?since=<id>\` resumes) and receive its events. ${accessNote(channel)}`,
      messages: single,
      ...(!hasServer ? {} : { servers: [ref('#/servers/ws')] }),
      bindings: { ws: { method: 'GET', query: SINCE_QUERY, bindingVersion: '0.1.0' } },
      ...accessExtension(channel),
      ...(publishers.length === 0 ? {} : { 'x-servey-publishers': publishers }),
    }
    operations[`${name}.events`] = {
      action: 'send',
      channel: channelRef(name),
      title: `Receive ${name} events`,
      summary: `Events of ${name}, then control frames`,
      description: `The server sends \`subscribed\` once the subscription is live (a \`resume_gap\` first when \`since\` is older than the history), then every event in the envelope. A refused subscription is an \`error\` frame, then a close. ${accessNote(channel)}${publishersNote(publishers)}`,
      ...(isOpen(channel) ? {} : { security: WS_SECURITY }),
      messages: [name, ...SINGLE_SERVER_FRAMES].map((key) => messageRef(name, key)),
    }
    operations[`${name}.auth`] = {
      action: 'receive',
      channel: channelRef(name),
      title: `Authenticate on ${name}`,
      summary: 'An `auth` frame: the way browsers pass a token',
      messages: [messageRef(name, 'auth')],
      reply: {
        channel: channelRef(name),
        messages: [messageRef(name, 'authenticated'), messageRef(name, 'error')],
      },
    }
    if (sse) {
      const key = sseKey(name)
      channels[key] = {
        address: `/channels/${kebabName}`,
        title: `${name} (Server-Sent Events)`,
        ...(definition.description === undefined ? {} : { summary: definition.description }),
        description: `\`GET /channels/${kebabName}\` with \`Accept: text/event-stream\`: each event is an SSE event whose \`id\` is the event id and whose \`data\` is the envelope; a gap is an \`event: resume_gap\`. Resume with \`Last-Event-ID\` or \`?since=<id>\`. Authentication by the Authorization header only; refusals are problem+json responses before the stream starts.`,
        messages: {
          [name]: ref(`#/components/messages/${eventKey(name)}`),
          resume_gap: ref(`#/components/messages/${frameKey('resume_gap')}`),
        },
        ...(!hasServer ? {} : { servers: [ref('#/servers/http')] }),
        ...accessExtension(channel),
      }
      operations[`${key}.events`] = {
        action: 'send',
        channel: channelRef(key),
        title: `Stream ${name} events`,
        summary: `Events of ${name} as Server-Sent Events`,
        ...(isOpen(channel) ? {} : { security: SSE_SECURITY }),
        messages: [messageRef(key, name), messageRef(key, 'resume_gap')],
        bindings: { http: { method: 'GET', query: SINCE_QUERY, bindingVersion: '0.3.0' } },
      }
    }
  }

  const multiplexed: JsonObject = {}
  for (const channel of registry.channels) {
    multiplexed[eventKey(channel.name)] = ref(`#/components/messages/${eventKey(channel.name)}`)
  }
  for (const frame of ['subscribe', 'unsubscribe', 'auth', ...MULTIPLEXED_SERVER_FRAMES]) {
    multiplexed[frame] = ref(`#/components/messages/${frameKey(frame)}`)
  }
  channels[MULTIPLEXED_KEY] = {
    address: '/channels',
    title: 'All channels (multiplexed)',
    description:
      "One websocket for several channels: send `subscribe` and `unsubscribe` frames, receive each channel's events in the envelope `{channel, id, event}`, whose `channel` tells them apart. Each subscription checks that channel's access as the socket's caller (a token by header, by subprotocol or by an `auth` frame).",
    messages: multiplexed,
    ...(!hasServer ? {} : { servers: [ref('#/servers/ws')] }),
    bindings: { ws: { method: 'GET', bindingVersion: '0.1.0' } },
  }
  const mux = (key: string) => messageRef(MULTIPLEXED_KEY, key)
  operations['multiplexed.subscribe'] = {
    action: 'receive',
    channel: channelRef(MULTIPLEXED_KEY),
    title: 'Subscribe',
    summary: 'Subscribe to a channel, optionally resuming after an event id',
    messages: [mux('subscribe')],
    reply: {
      channel: channelRef(MULTIPLEXED_KEY),
      messages: [mux('subscribed'), mux('resume_gap'), mux('error')],
    },
  }
  operations['multiplexed.unsubscribe'] = {
    action: 'receive',
    channel: channelRef(MULTIPLEXED_KEY),
    title: 'Unsubscribe',
    messages: [mux('unsubscribe')],
    reply: { channel: channelRef(MULTIPLEXED_KEY), messages: [mux('unsubscribed'), mux('error')] },
  }
  operations['multiplexed.auth'] = {
    action: 'receive',
    channel: channelRef(MULTIPLEXED_KEY),
    title: 'Authenticate',
    messages: [mux('auth')],
    reply: { channel: channelRef(MULTIPLEXED_KEY), messages: [mux('authenticated'), mux('error')] },
  }
  operations['multiplexed.events'] = {
    action: 'send',
    channel: channelRef(MULTIPLEXED_KEY),
    title: 'Receive events',
    summary: 'Events of every subscribed channel, in their envelope',
    messages: [...registry.channels.map((channel) => mux(eventKey(channel.name))), mux('error')],
  }

  const info: JsonObject = {
    title: options.title ?? 'Servey app',
    version: options.version ?? '0.0.0',
    description:
      options.description ??
      'Event channels: subscribe over a websocket or Server-Sent Events and receive each event in the envelope {channel, id, event}.',
    ...(options.contact === undefined ? {} : { contact: options.contact }),
    ...(options.license === undefined
      ? {}
      : {
          license: {
            name: options.license.name,
            ...(options.license.url === undefined ? {} : { url: options.license.url }),
          },
        }),
  }
  const components: JsonObject = {
    ...(schemas.size === 0 ? {} : { schemas: schemas.schemas }),
    messages,
    securitySchemes: SECURITY_SCHEMES,
  }
  return {
    asyncapi: '3.0.0',
    info,
    ...(options.server === undefined ? {} : { servers: asyncApiServers(options.server) }),
    defaultContentType: 'application/json',
    channels,
    operations,
    components,
  }
}

/** The `ws` server and, for Server-Sent Events, the `http` one: the same host and port. */
function asyncApiServers(server: AsyncApiServer): JsonObject {
  const base = {
    host: server.host,
    ...(server.pathname === undefined ? {} : { pathname: server.pathname }),
    ...(server.description === undefined ? {} : { description: server.description }),
  }
  return {
    ws: { ...base, protocol: server.secure === true ? 'wss' : 'ws', title: 'Websocket' },
    http: {
      ...base,
      protocol: server.secure === true ? 'https' : 'http',
      title: 'Server-Sent Events',
    },
  }
}
