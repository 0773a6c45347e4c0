import {
  HEALTH_PATH,
  READY_PATH,
  livenessResponse,
  readinessResponse,
  type Readiness,
  type ReadinessCheck,
} from '@servey/http'
import type { FastifyInstance } from 'fastify'
import { sendHttpResponse } from './http-bridge.ts'

export interface HealthOptions {
  /**
   * Asked on every `GET /ready`; without it the process is ready whenever it answers. The CLI
   * passes one that pings Redis when REDIS_URL is set and turns false on SIGTERM.
   */
  readonly readiness?: ReadinessCheck
}

const ALWAYS_READY: ReadinessCheck = () => ({ ready: true })

/**
 * `GET /health` and `GET /ready` (and their HEAD), answered by `@servey/http`. They call no
 * action, so no access rule, cache or OpenAPI operation applies to them; the route table
 * refuses an action that claims their paths.
 */
export function registerHealthRoutes(app: FastifyInstance, options: HealthOptions): void {
  const readiness = options.readiness ?? ALWAYS_READY
  app.get(HEALTH_PATH, (_request, reply) => sendHttpResponse(reply, livenessResponse()))
  app.get(READY_PATH, async (request, reply) => {
    let state: Readiness
    try {
      state = await readiness()
    } catch (error) {
      // A check that throws is a dependency this process cannot vouch for; the reason is
      // logged, not sent to whoever probes.
      request.log.error({ err: error }, 'the readiness check failed')
      state = {
        ready: false,
        reason: 'dependency_unavailable',
        detail: 'The readiness check failed',
      }
    }
    return sendHttpResponse(reply, readinessResponse(state, request.id))
  })
}
