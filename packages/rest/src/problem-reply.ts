import { toProblem, type ActionError } from '@servey/core/adapter'
import type { FastifyReply, FastifyRequest } from 'fastify'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8'

/**
 * Answer with RFC 9457 problem details; the stack only in dev mode. Logging is the caller's:
 * core's pipeline already logs the failures of actions.
 */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: ActionError, dev: boolean): FastifyReply {
  const problem = toProblem(error, { requestId: request.id, dev })
  return reply.code(error.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem))
}
