import { toProblem, type ActionError } from '@servey/core/adapter'
import type { FastifyReply, FastifyRequest } from 'fastify'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8'

/** Answer with RFC 9457 problem details; the stack only in dev mode. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: ActionError, dev: boolean): FastifyReply {
  if (error.status >= 500 && error.code !== 'TIMEOUT') {
    request.log.error({ err: error.cause ?? error, code: error.code }, error.message)
  }
  const problem = toProblem(error, { requestId: request.id, dev })
  return reply.code(error.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem))
}
