import type { ActionError } from '@servey/core/adapter'
import type { HttpHandler } from '@servey/http'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { sendHttpResponse } from './http-bridge.ts'

/**
 * Answer with the HTTP layer's problem+json. Logging is the caller's: core's pipeline already
 * logs the failures of actions.
 */
export function sendProblem(
  http: HttpHandler,
  request: FastifyRequest,
  reply: FastifyReply,
  error: ActionError,
): FastifyReply {
  return sendHttpResponse(reply, http.problem(error, request.id))
}
