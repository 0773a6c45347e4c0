import { toProblem, type ActionError } from '@servey/core/adapter'
import { formatChallenge } from '@servey/http'
import { GraphQLError, type ASTNode } from 'graphql'

export interface GraphQLErrorOptions {
  readonly requestId?: string | undefined
  readonly dev?: boolean | undefined
}

/**
 * An action's error as a GraphQL error: the message is the problem's `detail` (masked for
 * unexpected errors), and `extensions` carry the rest of the problem body (`code`, `status`,
 * `title`, `type`, `requestId`, `issues`, `data`), so a GraphQL client learns what a REST
 * client would. `extensions.http` sets the HTTP status of the response and, for a 401 or a
 * 403 with core's typed challenge, its `WWW-Authenticate` header, formatted by the HTTP layer
 * as REST's is (graphql-yoga reads both and strips them from the body).
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
  const http =
    error.challenge === undefined
      ? { status }
      : { status, headers: { 'www-authenticate': formatChallenge(error.challenge) } }
  return new GraphQLError(detail, {
    ...(nodes === undefined ? {} : { nodes }),
    extensions: { code, status, ...rest, http },
  })
}
