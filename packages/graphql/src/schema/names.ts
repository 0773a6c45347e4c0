import { graphqlDefinitionErrors } from '../errors.ts'

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/

/** A GraphQL name; names starting with `__` belong to introspection. */
export function isGraphQLName(name: string): boolean {
  return NAME.test(name) && !name.startsWith('__')
}

/** Throws the coded error when `name` cannot be used; `source` says where it came from. */
export function assertGraphQLName(name: string, source: string): string {
  if (!isGraphQLName(name))
    throw graphqlDefinitionErrors.SERVEY_ERR_GRAPHQL_NAME_INVALID(name, source)
  return name
}

/**
 * A property or parameter name as a GraphQL field or argument: `child_nodes` → `childNodes`.
 * Underscores that do not follow a letter or digit stay (`_id` keeps its meaning), and names
 * already in camelCase pass through.
 */
export function toFieldName(name: string): string {
  return name.replace(/(?<=[A-Za-z0-9])_([a-z0-9])/g, (_, char: string) => char.toUpperCase())
}

/** `say_hello` or `sayHello` → `SayHello`: the derived part of a type name. */
export function toTypeNamePart(name: string): string {
  const field = toFieldName(name)
  return field.charAt(0).toUpperCase() + field.slice(1)
}
