import { graphqlDefinitionErrors } from '../errors.ts'
import type { JsonSchema } from './classify.ts'
import { assertGraphQLName, isGraphQLName } from './names.ts'

/**
 * Hands out GraphQL type names and refuses a second, different owner for a name: two schemas
 * that would both be `Point` fail at start-up naming both sources, instead of one silently
 * replacing the other.
 */
export interface TypeNames {
  claim(name: string, owner: unknown, source: string): string
}

const BUILT_IN: Readonly<Record<string, string>> = {
  Query: 'the GraphQL root type Query',
  Mutation: 'the GraphQL root type Mutation',
  Subscription: 'the GraphQL root type Subscription',
  String: 'a built-in GraphQL scalar',
  Int: 'a built-in GraphQL scalar',
  Float: 'a built-in GraphQL scalar',
  Boolean: 'a built-in GraphQL scalar',
  ID: 'a built-in GraphQL scalar',
  JSON: "Servey's JSON scalar",
  DateTime: "Servey's DateTime scalar",
}

export function createTypeNames(): TypeNames {
  const owners = new Map<string, { owner: unknown; source: string }>()
  return {
    claim(name, owner, source) {
      assertGraphQLName(name, source)
      const builtIn = BUILT_IN[name]
      if (builtIn !== undefined) {
        throw graphqlDefinitionErrors.SERVEY_ERR_GRAPHQL_TYPE_NAME_CLASH(name, builtIn, source)
      }
      const existing = owners.get(name)
      if (existing === undefined) owners.set(name, { owner, source })
      else if (existing.owner !== owner) {
        throw graphqlDefinitionErrors.SERVEY_ERR_GRAPHQL_TYPE_NAME_CLASH(
          name,
          existing.source,
          source,
        )
      }
      return name
    },
  }
}

/**
 * A named schema keeps its name (`$id`, else a `title` that is a GraphQL name); an anonymous
 * one is named after where it is used: `SayHelloResult`, `CreateOrderItem`.
 */
export function typeNameOf(schema: JsonSchema, derived: string): { name: string; owner: unknown } {
  const id = schema['$id']
  if (typeof id === 'string') return { name: id, owner: `$id:${id}` }
  const title = schema['title']
  if (typeof title === 'string' && isGraphQLName(title)) return { name: title, owner: schema }
  return { name: derived, owner: schema }
}

export function describeSchema(schema: JsonSchema): string | undefined {
  const id = schema['$id']
  return typeof id === 'string' ? `the schema $id '${id}'` : undefined
}
