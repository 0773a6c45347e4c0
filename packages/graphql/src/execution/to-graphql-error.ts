import { toProblem, type ActionError } from '@servey/core/adapter'
import { GraphQLError, type ASTNode } from 'graphql'

export interface GraphQLErrorOptions {
  readonly requestId?: string | undefined
  readonly dev?: boolean | undefined
}

/**
 * An action's error as a GraphQL error: the message is the problem's `detail` (masked for
 * unexpected errors), and `extensions` carry the rest of the problem body (`code`, `status`,
 * `title`, `type`, `requestId`, `issues`, `data`), so a GraphQL client learns what a REST
 * client would. `extensions.http.status` sets the HTTP status of the response (graphql-yoga
 * reads it and strips it from the body).
 */
export function toGraphQLError(
  error: ActionError,
  options: GraphQLErrorOptions = {},
  nodes?: readonly ASTNode[],
): GraphQLError {
  const problem = toProblem(error, {
    ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
    ...(options.dev === true ? { dev: true } : {}),
  })
  const { detail, code, status, ...rest } = problem
  return new GraphQLError(detail, {
    ...(nodes === undefined ? {} : { nodes }),
    extensions: { code, status, ...rest, http: { status } },
  })
}
