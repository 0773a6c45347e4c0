/**
 * What the schema records on its fields, arguments and input fields under
 * `extensions.servey`, so tools (the client, error mapping) can map GraphQL names back to the
 * action's own names without the registry.
 */
export interface ServeyFieldExtension {
  /** The property or parameter name in the action's schema (`child_nodes`). */
  readonly name?: string
  /** Null from GraphQL means "absent": the schema does not allow null here. */
  readonly omitNull?: boolean
  /** The action a Query, Mutation or nested field calls. */
  readonly action?: string
  /** The action's params schema refuses properties it does not declare. */
  readonly closedParams?: boolean
  /** A list field's `maxItems`, from its schema: the query cost limit counts it. */
  readonly maxItems?: number
}

/** `{ maxItems }` when an array schema declares it, so extensions carry it only then. */
export function maxItemsOf(schema: { readonly [key: string]: unknown }): { maxItems?: number } {
  const maxItems = schema['maxItems']
  return typeof maxItems === 'number' ? { maxItems } : {}
}

export function serveyExtensionOf(
  item: { readonly extensions?: unknown } | null | undefined,
): ServeyFieldExtension | undefined {
  const extensions = item?.extensions as { servey?: ServeyFieldExtension } | null | undefined
  return extensions?.servey
}
