import { HEALTH_PATH, READY_PATH } from '@servey/http'
import type { FunctionPlan, ServerlessPlan } from './function-plan.ts'
import type { ResolvedSlsOptions } from './options.ts'

export const HEALTH_FUNCTION = 'servey_health'
/** A probe answers in milliseconds; a longer wait means the function is not well. */
const HEALTH_TIMEOUT = 5

/**
 * `servey_health`: API Gateway routes for `GET` and `HEAD` on `/health` and `/ready`, served by
 * a function that imports none of the app, so its bundle is the runtime alone, its cold start
 * is the shortest a Servey function has, and a probe never wakes an action's function. Both
 * paths are reserved for probes on every transport (SERVEY_ERR_HTTP_ROUTE_RESERVED), so these
 * routes never clash with an action's.
 */
export function withHealth(plan: ServerlessPlan, options: ResolvedSlsOptions): ServerlessPlan {
  if (!options.health) return plan
  const health: FunctionPlan = {
    key: HEALTH_FUNCTION,
    action: undefined,
    actions: [],
    imports: [],
    description: 'Servey probes: GET and HEAD /health (liveness) and /ready (readiness)',
    timeout: HEALTH_TIMEOUT,
    routes: [HEALTH_PATH, READY_PATH].flatMap((path) =>
      ['GET', 'HEAD'].map((method) => ({ method, path })),
    ),
    schedules: [],
    health: true,
  }
  return { functions: [...plan.functions, health], warnings: plan.warnings }
}
