import type { RegisteredAction, Trigger } from '@servey/core/adapter'
import { graphqlDefinitionErrors } from '../errors.ts'

export type GraphQLOperation = 'query' | 'mutation'

/**
 * Says how GraphQL serves an action when its web triggers would say otherwise: as a Query or
 * Mutation field (`operation`), or not at all (`exclude`). Plain data, like every trigger.
 */
export interface GraphQLTrigger extends Trigger {
  readonly kind: 'graphql'
  readonly operation?: GraphQLOperation
  readonly exclude?: true
}

export type GraphQLTriggerOptions =
  | { readonly operation: GraphQLOperation; readonly exclude?: never }
  | { readonly exclude: true; readonly operation?: never }

const OPERATIONS: readonly string[] = ['query', 'mutation']

function problemOf(trigger: Partial<Record<'operation' | 'exclude', unknown>>): string | undefined {
  const { operation, exclude } = trigger
  if (exclude !== undefined && exclude !== true)
    return `exclude must be true, got ${String(exclude)}`
  if (exclude === true && operation !== undefined) return 'exclude and operation cannot go together'
  if (exclude === undefined && !OPERATIONS.includes(String(operation))) {
    return `operation must be 'query' or 'mutation', got ${String(operation)}`
  }
  return undefined
}

/**
 * `graphql({ operation: 'query' })` serves an action as a Query field even without a GET
 * trigger; `graphql({ exclude: true })` keeps it out of the GraphQL schema.
 */
export function graphql(options: GraphQLTriggerOptions): GraphQLTrigger {
  const problem = problemOf(options)
  if (problem !== undefined) {
    throw graphqlDefinitionErrors.SERVEY_ERR_GRAPHQL_TRIGGER_INVALID('<being declared>', problem)
  }
  const trigger: { kind: 'graphql'; operation?: GraphQLOperation; exclude?: true } = {
    kind: 'graphql',
  }
  if (options.exclude === true) trigger.exclude = true
  else trigger.operation = options.operation
  return Object.freeze(trigger)
}

export const GRAPHQL_QUERY = graphql({ operation: 'query' })
export const GRAPHQL_MUTATION = graphql({ operation: 'mutation' })

export function isGraphQLTrigger(trigger: Trigger): trigger is GraphQLTrigger {
  return trigger.kind === 'graphql'
}

const MUTATION_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Where an action appears at the root of the schema. Explicit graphql triggers decide; else a
 * GET trigger makes a Query field and any other web method a Mutation field (both, when it
 * has both, as the original did). A nested action is a field of its parent type only.
 */
export function rootOperationsOf(action: RegisteredAction): GraphQLOperation[] {
  const explicit: GraphQLTrigger[] = []
  for (const trigger of action.definition.triggers) {
    if (!isGraphQLTrigger(trigger)) continue
    const problem = problemOf(trigger)
    if (problem !== undefined) {
      throw graphqlDefinitionErrors.SERVEY_ERR_GRAPHQL_TRIGGER_INVALID(action.name, problem)
    }
    explicit.push(trigger)
  }
  const excluded = explicit.some((trigger) => trigger.exclude === true)
  if (excluded && explicit.some((trigger) => trigger.operation !== undefined)) {
    throw graphqlDefinitionErrors.SERVEY_ERR_GRAPHQL_TRIGGER_INVALID(
      action.name,
      'it both excludes the action and names an operation',
    )
  }
  if (excluded) return []
  const operations = new Set<GraphQLOperation>()
  if (explicit.length > 0) {
    for (const trigger of explicit)
      if (trigger.operation !== undefined) operations.add(trigger.operation)
  } else {
    for (const trigger of action.definition.triggers) {
      if (trigger.kind !== 'web') continue
      const method = (trigger as Trigger & { method?: unknown }).method
      if (method === 'GET') operations.add('query')
      else if (typeof method === 'string' && MUTATION_METHODS.has(method))
        operations.add('mutation')
    }
  }
  if (action.definition.parent !== undefined) {
    if (explicit.length > 0 && operations.size > 0) {
      throw graphqlDefinitionErrors.SERVEY_ERR_GRAPHQL_TRIGGER_INVALID(
        action.name,
        'a nested action (with a parent) is a field of its parent type, never a root field',
      )
    }
    return []
  }
  return OPERATIONS.filter((operation) =>
    operations.has(operation as GraphQLOperation),
  ) as GraphQLOperation[]
}

/** Whether a nested action is left out of its parent type. */
export function isExcluded(action: RegisteredAction): boolean {
  return action.definition.triggers.some(
    (trigger) => isGraphQLTrigger(trigger) && trigger.exclude === true,
  )
}
