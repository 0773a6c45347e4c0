type JsonObject = Record<string, unknown>

/** `<milliseconds>-<sequence>`, as core's `isEventId` accepts it. */
export const EVENT_ID_SCHEMA: JsonObject = {
  type: 'string',
  pattern: '^[0-9]{1,16}-[0-9]{1,16}$',
  description:
    'The event id: `<milliseconds>-<sequence>`, ordered within a channel (compare the two numbers, not the strings). Resume with the last one received.',
  examples: ['1733400000000-0'],
}

export const EXAMPLE_ID = '1733400000000-0'
const EXAMPLE_CONNECTION = '0b0b4a8e-0000-4000-8000-000000000000'

const object = (
  properties: Record<string, JsonObject>,
  required: readonly string[],
  description: string,
): JsonObject => ({
  type: 'object',
  description,
  properties,
  required: [...required],
  additionalProperties: false,
})

const typeOf = (name: string): JsonObject => ({ type: 'string', const: name })
const channelName: JsonObject = {
  type: 'string',
  description: 'The channel name (snake_case; the kebab-case spelling is accepted too)',
}

/**
 * The control frames of the channels websocket protocol, as the connection sends and parses
 * them (src/websocket/connection.ts here; client-frame.ts and frames.ts in core). Keys are component message names.
 */
export const FRAME_MESSAGES: Record<string, JsonObject> = {
  'frame.subscribe': {
    name: 'subscribe',
    title: 'Subscribe',
    summary: 'Start (or replace) a subscription to a channel over WS /channels.',
    payload: object(
      {
        type: typeOf('subscribe'),
        channel: channelName,
        since: { ...EVENT_ID_SCHEMA, description: 'Resume after this event id (optional)' },
      },
      ['type', 'channel'],
      'Answered by `subscribed`, or by an `error` frame naming the channel.',
    ),
    examples: [
      { name: 'subscribe', payload: { type: 'subscribe', channel: 'messenger' } },
      { name: 'resume', payload: { type: 'subscribe', channel: 'messenger', since: EXAMPLE_ID } },
    ],
  },
  'frame.unsubscribe': {
    name: 'unsubscribe',
    title: 'Unsubscribe',
    summary: 'End a subscription over WS /channels.',
    payload: object(
      { type: typeOf('unsubscribe'), channel: channelName },
      ['type', 'channel'],
      'Answered by `unsubscribed`, also when the socket was not subscribed.',
    ),
    examples: [{ name: 'unsubscribe', payload: { type: 'unsubscribe', channel: 'messenger' } }],
  },
  'frame.auth': {
    name: 'auth',
    title: 'Authenticate',
    summary: 'Authenticate (or re-authenticate) the socket with a bearer token.',
    description:
      'For browsers, which cannot set headers on a websocket. On a single-channel socket whose channel needs a token, the server waits for this frame before subscribing. On a live socket every subscription continues as the new caller. A token that fails verification closes the socket with 1008.',
    payload: object(
      { type: typeOf('auth'), token: { type: 'string', minLength: 1, description: 'A JWT' } },
      ['type', 'token'],
      'Answered by `authenticated`, or by an `error` frame and close 1008.',
    ),
    examples: [{ name: 'auth', payload: { type: 'auth', token: 'eyJhbGciOiJIUzI1NiJ9...' } }],
  },
  'frame.subscribed': {
    name: 'subscribed',
    title: 'Subscribed',
    summary: 'A subscription started.',
    payload: object(
      {
        type: typeOf('subscribed'),
        channel: { type: 'string', description: 'The channel name (snake_case)' },
        connection: {
          type: 'string',
          description:
            "This socket's id: a publisher passes it as `to` to reach this connection only.",
        },
      },
      ['type', 'channel', 'connection'],
      'Sent once a subscription is live (after any replay was scheduled).',
    ),
    examples: [
      {
        name: 'subscribed',
        payload: { type: 'subscribed', channel: 'messenger', connection: EXAMPLE_CONNECTION },
      },
    ],
  },
  'frame.unsubscribed': {
    name: 'unsubscribed',
    title: 'Unsubscribed',
    summary: 'A subscription ended (answer to `unsubscribe`).',
    payload: object(
      { type: typeOf('unsubscribed'), channel: channelName },
      ['type', 'channel'],
      'The answer to an unsubscribe frame.',
    ),
    examples: [{ name: 'unsubscribed', payload: { type: 'unsubscribed', channel: 'messenger' } }],
  },
  'frame.authenticated': {
    name: 'authenticated',
    title: 'Authenticated',
    summary: 'The token of an `auth` frame was accepted.',
    payload: object(
      {
        type: typeOf('authenticated'),
        subject: {
          type: ['string', 'null'],
          description: "The token's subject; null for a token without one",
        },
      },
      ['type', 'subject'],
      'The answer to a valid auth frame.',
    ),
    examples: [{ name: 'authenticated', payload: { type: 'authenticated', subject: 'alice' } }],
  },
  'frame.resume_gap': {
    name: 'resume_gap',
    title: 'Resume gap',
    summary: 'The history no longer reaches back to `since`: events were missed.',
    description:
      'Sent before the replay of what is still kept, when a client resumes from an id older than the history.',
    payload: object(
      { type: typeOf('resume_gap'), channel: channelName, since: EVENT_ID_SCHEMA },
      ['type', 'channel', 'since'],
      'Events after `since` were dropped from the history before this client came back.',
    ),
    examples: [
      {
        name: 'resume_gap',
        payload: { type: 'resume_gap', channel: 'messenger', since: '1733300000000-0' },
      },
    ],
  },
  'frame.error': {
    name: 'error',
    title: 'Error',
    summary: 'A refused frame or subscription.',
    description:
      'A bad frame is answered with this frame and the socket stays open (MALFORMED_JSON, BAD_REQUEST, UNSUPPORTED_MEDIA_TYPE, UNKNOWN_CHANNEL, UNAUTHENTICATED, FORBIDDEN, TOO_MANY_REQUESTS). On WS /channels/<name> a refused subscription sends it, then closes with the close code of the error table (1008 for UNAUTHENTICATED, FORBIDDEN, UNKNOWN_CHANNEL) and the code as reason.',
    payload: object(
      {
        type: typeOf('error'),
        code: { type: 'string', description: "A code of Servey's error table" },
        detail: { type: 'string', description: 'What went wrong, for people' },
        channel: {
          type: 'string',
          description: 'The channel of a refused subscription, as the client spelled it',
        },
      },
      ['type', 'code', 'detail'],
      'Errors are frames, never a crash.',
    ),
    examples: [
      {
        name: 'forbidden',
        payload: {
          type: 'error',
          code: 'FORBIDDEN',
          detail: 'Requires any of the scopes: admin',
          channel: 'admin_feed',
        },
      },
      {
        name: 'malformed',
        payload: { type: 'error', code: 'MALFORMED_JSON', detail: 'A frame must be a JSON object' },
      },
    ],
  },
}

/** Server frames of a single-channel socket besides events. */
export const SINGLE_SERVER_FRAMES = ['subscribed', 'authenticated', 'resume_gap', 'error'] as const
/** Server frames of the multiplexed socket besides events. */
export const MULTIPLEXED_SERVER_FRAMES = [
  'subscribed',
  'unsubscribed',
  'authenticated',
  'resume_gap',
  'error',
] as const
