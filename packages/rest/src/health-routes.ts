import {
  HEALTH_PATH,
  READY_PATH,
  checkReadiness,
  livenessResponse,
  readinessResponse,
  type HealthOptions,
} from '@servey/http'
import type { FastifyInstance } from 'fastify'
import { sendHttpResponse } from './http-bridge.ts'

export type { HealthOptions } from '@servey/http'

/**
 * `GET /health` and `GET /ready` (and their HEAD), answered by `@servey/http`. They call no
 * action, so no access rule, cache or OpenAPI operation applies to them; the route table
 * refuses an action that claims their paths.
 */
export function registerHealthRoutes(app: FastifyInstance, options: HealthOptions): void {
  app.get(HEALTH_PATH, (_request, reply) => sendHttpResponse(reply, livenessResponse()))
  app.get(READY_PATH, async (request, reply) => {
    const state = await checkReadiness(options.readiness, request.log)
    return sendHttpResponse(reply, readinessResponse(state, request.id))
  })
}
