import { ActionError, type ValidationIssue } from '@servey/core/adapter'
import type { ASTNode, GraphQLError } from 'graphql'
import { toGraphQLError, type GraphQLErrorOptions } from './to-graphql-error.ts'

/**
 * Bad argument values that GraphQL itself refuses (a variable of the wrong type, a missing
 * required one, an argument a closed params schema does not declare) are reported like core
 * reports bad params on every transport: INVALID_PARAMS, 400, one issue per failing path.
 */
export function invalidParamsError(
  issues: readonly ValidationIssue[],
  nodes: readonly ASTNode[],
  options: GraphQLErrorOptions = {},
): GraphQLError {
  const summary = issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')
  return toGraphQLError(
    new ActionError('INVALID_PARAMS', `Invalid params: ${summary}`, { issues }),
    options,
    nodes,
  )
}

/** RFC 6901 segment. */
export function pointerSegment(name: string | number): string {
  return String(name).replaceAll('~', '~0').replaceAll('/', '~1')
}
