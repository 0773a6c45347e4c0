import { toProblem, type ActionError } from '@servey/core/adapter'
import { formatChallenge } from '@servey/http'
import { GraphQLError, type ASTNode } from 'graphql'

export interface GraphQLErrorOptions {
  readonly requestId?: string | undefined
  readonly dev?: boolean | undefined
  /**
   * A *request error* of GraphQL over HTTP: the operation was refused before it ran, so the
   * answer has no `data`. Its status then holds for `application/graphql-response+json` only;
   * an `application/json` client (or one with no Accept) gets 200, as the spec says and as
   * graphql-yoga answers its own parse and validation errors (its `http.spec` flag).
   */
  readonly requestError?: boolean | undefined
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
  const http = {
    status,
    ...(options.requestError === true ? { spec: true } : {}),
    ...(error.challenge === undefined
      ? {}
      : { headers: { 'www-authenticate': formatChallenge(error.challenge) } }),
  }
  return new GraphQLError(detail, {
    ...(nodes === undefined ? {} : { nodes }),
    extensions: { code, status, ...rest, http },
  })
}
