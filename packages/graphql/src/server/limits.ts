import { EnvelopArmor } from '@escape.tech/graphql-armor'
import { NoSchemaIntrospectionCustomRule } from 'graphql'
import type { Plugin } from 'graphql-yoga'
import { graphqlDefinitionErrors } from '../errors.ts'

/**
 * What one request may ask for. Every limit answers with a GraphQL error and a 4xx, never a
 * 5xx, so a hostile query costs a parse and a validation at most (both cached).
 */
export interface GraphQLLimits {
  /** Deepest nesting of selections in an operation. Default 10. */
  readonly depth?: number
  /** Most lexical tokens in a document; stops huge queries before they are parsed. Default 1000. */
  readonly tokens?: number
  /** Most aliases in an operation: one field asked 1,000 times is 1,000 calls. Default 15. */
  readonly aliases?: number
  /**
   * Highest cost of an operation: each field costs 1 plus its selection, and a list field its
   * expected size times its selection (see cost-limit.ts). Default 5000.
   */
  readonly cost?: number
  /** Most directives in an operation. Default 50. */
  readonly directives?: number
  /** Most operations in one batched request (a JSON array body). Default 10. */
  readonly batch?: number
}

export const DEFAULT_LIMITS: Required<GraphQLLimits> = {
  depth: 10,
  tokens: 1000,
  aliases: 15,
  cost: 5000,
  directives: 50,
  batch: 10,
}

export function resolveLimits(limits: GraphQLLimits = {}): Required<GraphQLLimits> {
  const resolved = { ...DEFAULT_LIMITS }
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof GraphQLLimits)[]) {
    const value = limits[key]
    if (value === undefined) continue
    if (!Number.isInteger(value) || value <= 0) {
      throw graphqlDefinitionErrors.SERVEY_ERR_GRAPHQL_LIMIT_INVALID(key, String(value))
    }
    resolved[key] = value
  }
  for (const key of Object.keys(limits)) {
    if (!(key in DEFAULT_LIMITS)) {
      throw graphqlDefinitionErrors.SERVEY_ERR_GRAPHQL_LIMIT_INVALID(key, 'an unknown limit')
    }
  }
  return resolved
}

/** graphql-armor's protections with our limits; field suggestions are hidden outside dev. */
export function protectionPlugins(limits: Required<GraphQLLimits>, dev: boolean): Plugin[] {
  const armor = new EnvelopArmor({
    maxDepth: { n: limits.depth },
    maxTokens: { n: limits.tokens },
    maxAliases: { n: limits.aliases },
    // Armor's cost ignores list sizes (15 aliases of a list of 50, three lists deep, passed):
    // costLimitPlugin counts them instead.
    costLimit: { enabled: false },
    maxDirectives: { n: limits.directives },
    // "Did you mean ...?" would let anyone map a schema whose introspection is off.
    blockFieldSuggestion: { enabled: !dev },
  })
  return armor.protect().plugins as Plugin[]
}

/** Refuses `__schema` and `__type` queries (a validation error, 400). */
export function disableIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule)
    },
  }
}
