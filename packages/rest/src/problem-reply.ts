import { toProblem, type ActionError } from '@servey/core/adapter'
import type { FastifyReply, FastifyRequest } from 'fastify'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8'

const quoted = (value: string): string => `"${value.replace(/["\\]/g, '')}"`

/** RFC 6750 §3: how a bearer-token client learns why it was refused. */
function bearerChallenge(error: ActionError): string | undefined {
  const data = (error.data ?? {}) as { reason?: string; scopes?: readonly string[] }
  if (error.code === 'UNAUTHENTICATED') {
    if (data.reason === 'missing_token' || data.reason === undefined) return 'Bearer realm="servey"'
    return `Bearer realm="servey", error="invalid_token", error_description=${quoted(error.message)}`
  }
  if (error.code === 'FORBIDDEN' && data.scopes !== undefined) {
    return `Bearer realm="servey", error="insufficient_scope", scope=${quoted(data.scopes.join(' '))}`
  }
  return undefined
}

/**
 * Answer with RFC 9457 problem details; the stack only in dev mode. Logging is the caller's:
 * core's pipeline already logs the failures of actions.
 */
export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  error: ActionError,
  dev: boolean,
): FastifyReply {
  const challenge = bearerChallenge(error)
  if (challenge !== undefined) reply.header('www-authenticate', challenge)
  const problem = toProblem(error, { requestId: request.id, dev })
  return reply.code(error.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem))
}
