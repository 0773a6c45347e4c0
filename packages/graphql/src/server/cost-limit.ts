import { ActionError } from '@servey/core/adapter'
import {
  getNullableType,
  isListType,
  type DocumentNode,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql'
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity'
import type { Plugin } from 'graphql-yoga'
import type { ServeyGraphQLContext } from '../execution/request-scope.ts'
import { toGraphQLError } from '../execution/to-graphql-error.ts'
import { serveyExtensionOf } from '../schema/field-extensions.ts'

/** What a list field is taken to hold when nothing says how long it is. */
export const DEFAULT_LIST_SIZE = 10

/** Arguments that, by wide convention, say how many items a list field returns. */
const SIZE_ARGUMENTS = new Set([
  'first',
  'last',
  'limit',
  'n',
  'count',
  'size',
  'take',
  'top',
  'pageSize',
  'perPage',
])

/**
 * How many items a list field is expected to return: a size argument (`first: 50`, `n: 50`),
 * capped by the result schema's `maxItems`; else that `maxItems`; else the longest list
 * argument (`statsForNumbers(numbers: [...])` answers one item per number); else
 * DEFAULT_LIST_SIZE.
 */
function listSize(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number {
  const maxItems = serveyExtensionOf(field)?.maxItems
  for (const [name, value] of Object.entries(args)) {
    if (SIZE_ARGUMENTS.has(name) && typeof value === 'number' && value >= 0) {
      return maxItems === undefined ? value : Math.min(value, maxItems)
    }
  }
  if (maxItems !== undefined) return maxItems
  let longest: number | undefined
  for (const value of Object.values(args)) {
    if (Array.isArray(value)) longest = Math.max(longest ?? 0, value.length)
  }
  return longest ?? DEFAULT_LIST_SIZE
}

/**
 * graphql-query-complexity's estimator contract: each field costs 1 plus its selection, and a
 * list field costs its expected size times its selection, so nested lists multiply, as they
 * do when the query runs. Introspection is free: GraphiQL must always load its schema.
 */
const listAwareEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  if (type.name.startsWith('__') || field.name.startsWith('__')) return 0
  if (!isListType(getNullableType(field.type))) return 1 + childComplexity
  return listSize(field, args) * Math.max(1, childComplexity)
}

type ServeyPlugin = Plugin<Partial<ServeyGraphQLContext>>

/**
 * Refuses an operation whose cost is over `maxCost` before anything runs. It runs at execution,
 * not validation, because list sizes often come in variables (`pts(n: $n)`) and validation is
 * cached per document. Costs of operations without variables are cached per document.
 */
export function costLimitPlugin(
  schema: GraphQLSchema,
  maxCost: number,
  dev: boolean,
): ServeyPlugin {
  const cached = new WeakMap<DocumentNode, Map<string, number>>()
  const costOf = (
    document: DocumentNode,
    operationName: string | undefined,
    variables: Record<string, unknown> | undefined,
  ): number | undefined => {
    const cacheable = variables === undefined || Object.keys(variables).length === 0
    const key = operationName ?? ''
    if (cacheable) {
      const hit = cached.get(document)?.get(key)
      if (hit !== undefined) return hit
    }
    let cost: number
    try {
      cost = getComplexity({
        schema,
        query: document,
        estimators: [listAwareEstimator],
        ...(variables === undefined ? {} : { variables }),
        ...(operationName === undefined ? {} : { operationName }),
      })
    } catch (error) {
      // Variables of the wrong type: execution refuses them with INVALID_PARAMS and paths.
      // Only the node limit (a document that expands to over 10,000 selections) is ours.
      if (!(error instanceof Error) || !error.message.includes('maximum allowed number of nodes'))
        return undefined
      cost = Infinity
    }
    if (cacheable) {
      const perOperation = cached.get(document) ?? new Map<string, number>()
      perOperation.set(key, cost)
      cached.set(document, perOperation)
    }
    return cost
  }
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const cost = costOf(
        args.document,
        args.operationName ?? undefined,
        (args.variableValues ?? undefined) as Record<string, unknown> | undefined,
      )
      if (cost === undefined || cost <= maxCost) return
      const found = Number.isFinite(cost) ? String(cost) : 'more than 10,000 selections'
      const error = new ActionError(
        'BAD_REQUEST',
        `Query cost limit of ${maxCost} exceeded: found ${found} (each field costs 1, a list field its expected size times its selection)`,
      )
      const requestId = (args.contextValue as Partial<ServeyGraphQLContext>).servey?.requestId
      // Refused before anything ran, like a document over the depth limit: a request error,
      // 400 for application/graphql-response+json and 200 for application/json.
      setResultAndStopExecution({
        errors: [toGraphQLError(error, { requestId, dev, requestError: true })],
      })
    },
  }
}
