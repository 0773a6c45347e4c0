import type { RegisteredAction, Registry } from '@servey/core/adapter'
import { DELIVERY_DEFAULTS } from '@servey/webhooks'
import type { FunctionPlan, ServerlessPlan } from './function-plan.ts'

export const JOBS_FUNCTION = 'servey_jobs'
/** SQS's longest visibility timeout. */
const VISIBILITY_MAX = 43_200
/** Lambda's longest timeout. */
const LAMBDA_TIMEOUT_MAX = 900

/** The actions of the app's background-action channel handlers, once each, in name order. */
export function backgroundActionsOf(registry: Registry): RegisteredAction[] {
  const names = new Set(
    registry.channels.flatMap((channel) =>
      channel.handlers.flatMap((handler) =>
        handler.kind === 'action' ? [handler.actionName] : [],
      ),
    ),
  )
  return registry.actions.filter((action) => names.has(action.name))
}

/** The app's webhook channel handlers: their deliveries go through the same queue. */
export function webhookHandlersOf(registry: Registry) {
  return registry.channels.flatMap((channel) =>
    channel.handlers.flatMap((handler) => (handler.kind === 'webhook' ? [handler] : [])),
  )
}

/**
 * The most tries any handler asks for: 3 at least (the SQS runner's default for a job), and a
 * webhook's 5 when it does not say (the deliveries' default, as on a server).
 */
export function maxAttemptsOf(registry: Registry): number {
  const declared = registry.channels.flatMap((channel) =>
    channel.handlers.flatMap((handler) => {
      if (handler.kind === 'webhook') return [handler.attempts ?? DELIVERY_DEFAULTS.attempts]
      return handler.attempts === undefined ? [] : [handler.attempts]
    }),
  )
  return Math.max(3, ...declared)
}

/** One delivery attempt's longest wait, plus a second, so the attempt ends before Lambda's. */
function webhookSecondsOf(registry: Registry): number {
  const longest = Math.max(
    0,
    ...webhookHandlersOf(registry).map(
      (handler) => handler.timeoutMs ?? DELIVERY_DEFAULTS.timeoutMs,
    ),
  )
  return longest === 0 ? 0 : Math.ceil(longest / 1000) + 1
}

/** `export orders` → `orders`. */
const exportRoot = (source: string): string | undefined =>
  /^export ([A-Za-z_$][\w$]*)/.exec(source)?.[1]

/**
 * What the jobs' queue needs in the stack: its consumer's timeout, and the visibility timeout
 * AWS recommends for a Lambda consumer (six times the function's timeout), so a record is not
 * delivered again while a try still runs.
 */
export interface JobsQueuePlan {
  readonly visibilityTimeout: number
  readonly maxAttempts: number
}

/**
 * An app with background-action or webhook channel handlers gets one more function,
 * `servey_jobs`, with the jobs queue's `sqs` event: it imports the channels and their handler
 * actions, runs every job of the app and makes every webhook delivery (one attempt per
 * receipt, SQS doing the retries). Every other function imports the channels too, since any
 * action may publish and the hub must know the handlers to choose from.
 */
export function withJobs(
  plan: ServerlessPlan,
  registry: Registry,
  exportRootOf: (action: RegisteredAction) => string,
  timeoutOf: (actions: readonly RegisteredAction[]) => number,
): ServerlessPlan {
  const background = backgroundActionsOf(registry)
  const webhooks = webhookHandlersOf(registry).length > 0
  if (background.length === 0 && !webhooks) return plan
  const channelImports = [
    ...registry.channels.flatMap((channel) => {
      const root = exportRoot(channel.source)
      return root === undefined ? [] : [root]
    }),
    ...background.map(exportRootOf),
  ]
  const functions: FunctionPlan[] = plan.functions.map((fn) => ({
    ...fn,
    imports: [...new Set([...fn.imports, ...channelImports])].sort(),
  }))
  const timeout = Math.min(
    LAMBDA_TIMEOUT_MAX,
    Math.max(background.length === 0 ? 0 : timeoutOf(background), webhookSecondsOf(registry)),
  )
  functions.push({
    key: JOBS_FUNCTION,
    action: undefined,
    actions: background,
    imports: [...new Set(channelImports)].sort(),
    description:
      background.length === 0
        ? 'Servey webhooks: the webhook deliveries of the channels, from SQS'
        : webhooks
          ? "Servey background jobs and webhooks: the channels' handlers, from SQS"
          : 'Servey background jobs: the handler actions of the channels, from SQS',
    timeout,
    routes: [],
    schedules: [],
    jobs: {
      visibilityTimeout: Math.min(VISIBILITY_MAX, timeout * 6),
      maxAttempts: maxAttemptsOf(registry),
    },
  })
  return { functions, warnings: plan.warnings }
}
