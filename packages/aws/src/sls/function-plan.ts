import {
  isPageTrigger,
  isWebTrigger,
  pagePathOf,
  webPathOf,
  type RegisteredAction,
  type Registry,
} from '@servey/core/adapter'
import { isScheduleTrigger, schedulesOf } from '../runtime/schedule-trigger-data.ts'
import type { ScheduleInput } from '../runtime/event-kind.ts'
import { slsErrors } from './errors.ts'
import type { ResolvedSlsOptions } from './options.ts'
import { scheduleExpression } from './schedule-expression.ts'
import { withChannels } from './websocket-plan.ts'
import { withJobs, type JobsQueuePlan } from './jobs-plan.ts'
import { withHealth } from './health-plan.ts'

export const ROUTER_FUNCTION = 'servey_router'
export const GRAPHQL_FUNCTION = 'servey_graphql'
/** Lambda's limit; API Gateway gives up sooner (below). */
const LAMBDA_TIMEOUT_MAX = 900
const API_GATEWAY_TIMEOUT = { httpApi: 30, rest: 29 } as const

/** One HTTP route as API Gateway sees it: `{name}` path parameters. */
export interface HttpRoute {
  readonly method: string
  readonly path: string
}

/** One Lambda function: the actions it serves and the events that reach it. */
export interface FunctionPlan {
  readonly key: string
  /** The action of a per-action function; undefined for the router. */
  readonly action: string | undefined
  readonly actions: readonly RegisteredAction[]
  /** Names exported by the app's entry that the handler imports (`generated` for `generated[0]`). */
  readonly imports: readonly string[]
  readonly description: string | undefined
  readonly timeout: number
  readonly routes: readonly HttpRoute[]
  /** The GraphQL function: its entry serves `/graphql` with `@servey/graphql`'s yoga. */
  readonly graphql?: true
  /** The websocket function: API Gateway's `$connect`, `$disconnect` and `$default` routes. */
  readonly websocket?: true
  /** The jobs function: the `sqs` event of the jobs queue runs every background job. */
  readonly jobs?: JobsQueuePlan
  /** The probes' function: `/health` and `/ready`, and no app code at all. */
  readonly health?: true
  /** It serves page triggers: its bundle carries the app's templates. */
  readonly pages?: true
  readonly schedules: ReadonlyArray<{
    readonly expression: string
    readonly timezone?: string
    readonly input: ScheduleInput
  }>
}

export interface ServerlessPlan {
  readonly functions: readonly FunctionPlan[]
  readonly warnings: readonly string[]
}

/** `/items/:id` as API Gateway writes it: `/items/{id}`. */
export function apiGatewayPath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}')
}

/** What Lambda can trigger: web routes, pages and schedules. Other actions get no function. */
function servedOnLambda(action: RegisteredAction): boolean {
  return action.definition.triggers.some(
    (trigger) => isWebTrigger(trigger) || isPageTrigger(trigger) || isScheduleTrigger(trigger),
  )
}

/** `export generated[2]` → `generated`: the export a generated handler imports. */
function exportRootOf(action: RegisteredAction): string {
  const match = /^export ([A-Za-z_$][\w$]*)/.exec(action.source)
  if (match === null) throw slsErrors.SERVEY_ERR_SLS_EXPORT_UNREACHABLE(action.name, action.source)
  return match[1] as string
}

/** Made in a loop (found inside an exported array): such actions always share the router. */
function madeInALoop(action: RegisteredAction): boolean {
  return action.source.includes('[')
}

function routesOf(action: RegisteredAction): HttpRoute[] {
  const routes: HttpRoute[] = []
  for (const trigger of action.definition.triggers) {
    if (isWebTrigger(trigger)) {
      routes.push({
        method: trigger.method,
        path: apiGatewayPath(webPathOf(action.kebabName, trigger)),
      })
    } else if (isPageTrigger(trigger)) {
      routes.push({ method: 'GET', path: apiGatewayPath(pagePathOf(action.kebabName, trigger)) })
    }
  }
  return routes
}

export function secondsOf(actions: readonly RegisteredAction[]): number {
  // One second past the action's own timeout, so the action reports TIMEOUT (a 504 with a
  // problem body) before Lambda cuts the function off.
  const longest = Math.max(...actions.map((action) => action.definition.timeoutMs))
  return Math.min(LAMBDA_TIMEOUT_MAX, Math.ceil(longest / 1000) + 1)
}

function planFunction(
  key: string,
  action: string | undefined,
  actions: readonly RegisteredAction[],
  warnings: string[],
  options: ResolvedSlsOptions,
): FunctionPlan {
  const schedules: Array<FunctionPlan['schedules'][number]> = []
  for (const served of actions) {
    schedulesOf(served).forEach((trigger, index) => {
      const { expression, timezone, warning } = scheduleExpression(trigger, {
        action: served.name,
        index,
      })
      if (warning !== undefined) warnings.push(`${served.name}: ${warning}`)
      schedules.push({
        expression,
        ...(timezone === undefined ? {} : { timezone }),
        input: { servey: 'schedule', action: served.name, schedule: index },
      })
    })
  }
  const routes = actions.flatMap(routesOf)
  const timeout = secondsOf(actions)
  const gateway = API_GATEWAY_TIMEOUT[options.api]
  if (routes.length > 0 && timeout > gateway) {
    warnings.push(
      `${key}: its timeout (${timeout} s) is longer than API Gateway waits (${gateway} s); a slower HTTP call gets API Gateway's 503 instead of the action's 504`,
    )
  }
  const single = action === undefined ? undefined : actions[0]
  return {
    key,
    action,
    actions,
    imports: [...new Set(actions.map(exportRootOf))].sort(),
    description:
      single?.definition.description ??
      (action === undefined ? `Servey router for ${actions.length} actions` : undefined),
    timeout,
    routes,
    schedules,
    ...(actions.some((served) => served.definition.triggers.some(isPageTrigger))
      ? { pages: true as const }
      : {}),
  }
}

/**
 * Which Lambda functions the app becomes: one per action that Lambda can trigger, or one
 * router for all of them (`router`), and always the router for actions made in a loop. Pure:
 * the same registry and options always give the same plan, in name order.
 */
export function planFunctions(registry: Registry, options: ResolvedSlsOptions): ServerlessPlan {
  const warnings: string[] = []
  const served = registry.actions.filter(servedOnLambda)
  const routed = served.filter((action) => options.router || madeInALoop(action))
  const functions = served
    .filter((action) => !routed.includes(action))
    .map((action) => planFunction(action.name, action.name, [action], warnings, options))
  if (routed.length > 0) {
    functions.push(planFunction(ROUTER_FUNCTION, undefined, routed, warnings, options))
  }
  if (options.graphql && registry.actions.length > 0) {
    // Every action is a field of the schema, so the function imports every export.
    const all = registry.actions
    functions.push({
      key: GRAPHQL_FUNCTION,
      action: undefined,
      actions: all,
      imports: [...new Set(all.map(exportRootOf))].sort(),
      description: 'Servey GraphQL: every action on one yoga schema',
      timeout: Math.min(secondsOf(all), API_GATEWAY_TIMEOUT[options.api]),
      routes: [
        { method: 'GET', path: '/graphql' },
        { method: 'POST', path: '/graphql' },
      ],
      schedules: [],
      graphql: true,
    })
  }
  // Last, so the channels' imports that every other function takes never reach it.
  return withHealth(
    withJobs(
      withChannels({ functions, warnings }, registry, exportRootOf),
      registry,
      exportRootOf,
      secondsOf,
    ),
    options,
  )
}
