import { toCamelCase, toKebabCase } from '../action/naming.ts'
import { ACTION_KEY } from '../action/action.ts'
import { definitionErrors } from '../errors/definition-errors.ts'
import { summarizeIssues, type SchemaCompiler, type Validator } from '../schema/validator.ts'
import type { AnyAction } from '../action/action.ts'
import { CHANNEL_KEY, type AnyChannel, type ChannelDefinition } from './channel.ts'
import type { ActionHandler, WebhookHandler } from './channel-handler.ts'

/** A handler whose action is known by its registered name. */
export type RegisteredHandler = (ActionHandler & { readonly actionName: string }) | WebhookHandler

/** A channel as a registry holds it: its spellings, where it was found, its compiled validator. */
export interface RegisteredChannel {
  readonly name: string
  /** `/channels/<kebab-name>`. */
  readonly kebabName: string
  readonly camelName: string
  readonly definition: ChannelDefinition
  readonly channel: AnyChannel
  readonly source: string
  /** The channel's handlers, each action resolved to its registered name. */
  readonly handlers: readonly RegisteredHandler[]
  /** null when the event matches the payload schema. Never changes the event. */
  checkEvent(event: unknown): ReturnType<Validator>
}

/** An action's params are an object: a non-object event needs a `params` mapping. */
function isObjectSchema(schema: unknown): boolean {
  const node = schema as { type?: unknown; anyOf?: unknown; oneOf?: unknown }
  if (node.type === 'object') return true
  const members = Array.isArray(node.anyOf) ? node.anyOf : node.oneOf
  return Array.isArray(members) && members.length > 0 && members.every(isObjectSchema)
}

export function registerChannel(
  channel: AnyChannel,
  source: string,
  compiler: SchemaCompiler,
  nameOf: (action: AnyAction) => string | undefined = () => undefined,
): RegisteredChannel {
  const definition = channel[CHANNEL_KEY]
  const { name } = definition
  let checkEvent: Validator
  try {
    checkEvent = compiler.result(definition.payload)
  } catch (error) {
    throw definitionErrors.SERVEY_ERR_CHANNEL_SCHEMA_INVALID(name, (error as Error).message)
  }
  for (const example of definition.examples) {
    const issues = checkEvent(example.event)
    if (issues !== null) {
      throw definitionErrors.SERVEY_ERR_CHANNEL_EXAMPLE_INVALID(
        example.name,
        name,
        summarizeIssues(issues),
      )
    }
  }
  const handlers = definition.handlers.map((handler): RegisteredHandler => {
    if (handler.kind === 'webhook') return handler
    const where = `handler ${handler.index} of channel ${name}`
    const actionName = nameOf(handler.action)
    if (actionName === undefined) {
      throw definitionErrors.SERVEY_ERR_CHANNEL_HANDLER_ACTION_UNREGISTERED(
        where,
        handler.action[ACTION_KEY].name ?? 'unnamed',
      )
    }
    if (handler.params === undefined && !isObjectSchema(definition.payload)) {
      throw definitionErrors.SERVEY_ERR_CHANNEL_HANDLER_PARAMS_MISSING(name, where)
    }
    return Object.freeze({ ...handler, actionName })
  })
  return Object.freeze({
    name,
    handlers: Object.freeze(handlers),
    kebabName: toKebabCase(name),
    camelName: toCamelCase(name),
    definition,
    channel,
    source,
    checkEvent,
  })
}
