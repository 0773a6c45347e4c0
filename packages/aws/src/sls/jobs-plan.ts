import type { RegisteredAction, Registry } from '@servey/core/adapter'
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

/** The most tries any background handler asks for (3, the SQS runner's default, at least). */
export function maxAttemptsOf(registry: Registry): number {
  const declared = registry.channels.flatMap((channel) =>
    channel.handlers.flatMap((handler) =>
      handler.kind === 'action' && handler.attempts !== undefined ? [handler.attempts] : [],
    ),
  )
  return Math.max(3, ...declared)
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
 * An app with background-action channel handlers gets one more function, `servey_jobs`, with
 * the jobs queue's `sqs` event: it imports the channels and their handler actions, and runs
 * every job of the app. Every other function imports the channels too, since any action may
 * publish and the hub must know the handlers to choose from.
 */
export function withJobs(
  plan: ServerlessPlan,
  registry: Registry,
  exportRootOf: (action: RegisteredAction) => string,
  timeoutOf: (actions: readonly RegisteredAction[]) => number,
): ServerlessPlan {
  const background = backgroundActionsOf(registry)
  if (background.length === 0) return plan
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
  const timeout = Math.min(LAMBDA_TIMEOUT_MAX, timeoutOf(background))
  functions.push({
    key: JOBS_FUNCTION,
    action: undefined,
    actions: background,
    imports: [...new Set(channelImports)].sort(),
    description: 'Servey background jobs: the handler actions of the channels, from SQS',
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
