import type { TSchema } from 'typebox'
import { isValidActionName } from '../action/naming.ts'
import { ActionError } from '../errors/action-error.ts'
import { definitionErrors } from '../errors/definition-errors.ts'
import { allowAll } from '../security/access-policy.ts'
import {
  CHANNEL_KEY,
  type Channel,
  type ChannelDefinition,
  type ChannelOptions,
  type ChannelPublisher,
} from './channel.ts'
import { normalizeHandlers } from './channel-handler.ts'

const KNOWN_OPTIONS = new Set([
  'payload',
  'access',
  'filter',
  'description',
  'examples',
  'handlers',
])

const publishers = new WeakMap<object, ChannelPublisher>()

/**
 * Route `channel.publish` of these channels to a publisher (a hub). The latest binding wins:
 * one process serves one app, and a dev reload binds the fresh hub.
 */
export function bindChannelPublisher(
  channels: Iterable<{ readonly channel: object }>,
  publisher: ChannelPublisher,
): void {
  for (const { channel } of channels) publishers.set(channel, publisher)
}

/** The publisher `channel.publish` goes through, if one is bound. */
export function boundPublisherOf(channel: object): ChannelPublisher | undefined {
  return publishers.get(channel)
}

/**
 * Declare an event channel. The name follows the action naming rules (snake_case); it is
 * served as `/channels/<kebab-name>`. Export it from the app's module like an action.
 *
 * @example
 * export const messenger = channel('messenger', { payload: Type.String() })
 * // in any handler: await messenger.publish('hi')  or  await context.publish(messenger, 'hi')
 */
export function channel<TPayload extends TSchema>(
  name: string,
  options: ChannelOptions<TPayload>,
): Channel<TPayload> {
  if (typeof name !== 'string' || !isValidActionName(name)) {
    throw definitionErrors.SERVEY_ERR_CHANNEL_NAME_INVALID(String(name))
  }
  if (typeof options !== 'object' || options === null || options.payload === undefined) {
    throw definitionErrors.SERVEY_ERR_CHANNEL_PAYLOAD_MISSING(name)
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) throw definitionErrors.SERVEY_ERR_CHANNEL_OPTION_UNKNOWN(key, name)
  }
  if (options.filter !== undefined && typeof options.filter !== 'function') {
    throw definitionErrors.SERVEY_ERR_CHANNEL_OPTION_UNKNOWN('filter (not a function)', name)
  }
  const definition: ChannelDefinition = Object.freeze({
    name,
    payload: options.payload,
    access: options.access ?? allowAll,
    filter: options.filter as ChannelDefinition['filter'],
    description: options.description,
    examples: Object.freeze([...(options.examples ?? [])]),
    handlers: normalizeHandlers(options.handlers, name),
  })
  const declared: Channel<TPayload> = {
    [CHANNEL_KEY]: definition,
    name,
    publish(event, publishOptions) {
      const publisher = publishers.get(declared)
      if (publisher === undefined) {
        return Promise.reject(
          new ActionError(
            'UNAVAILABLE',
            `Channel ${name} is not served by this process: start a server with it, or create a channel hub over a registry that holds it`,
          ),
        )
      }
      return publisher.publish(declared, event, publishOptions) as never
    },
  }
  return Object.freeze(declared)
}
