import { toCamelCase, toKebabCase } from '../action/naming.ts'
import { definitionErrors } from '../errors/definition-errors.ts'
import { summarizeIssues, type SchemaCompiler, type Validator } from '../schema/validator.ts'
import { CHANNEL_KEY, type AnyChannel, type ChannelDefinition } from './channel.ts'

/** A channel as a registry holds it: its spellings, where it was found, its compiled validator. */
export interface RegisteredChannel {
  readonly name: string
  /** `/channels/<kebab-name>`. */
  readonly kebabName: string
  readonly camelName: string
  readonly definition: ChannelDefinition
  readonly channel: AnyChannel
  readonly source: string
  /** null when the event matches the payload schema. Never changes the event. */
  checkEvent(event: unknown): ReturnType<Validator>
}

export function registerChannel(
  channel: AnyChannel,
  source: string,
  compiler: SchemaCompiler,
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
  return Object.freeze({
    name,
    kebabName: toKebabCase(name),
    camelName: toCamelCase(name),
    definition,
    channel,
    source,
    checkEvent,
  })
}
