import { join } from 'node:path'
import { createLambdaHandler, type LambdaHandler } from '@servey/aws'
import type { Logger } from '@servey/core'
import { createServeyYoga } from '@servey/graphql'
import type { LambdaCase } from './lambda-cases.ts'
import type { LambdaOutcome } from './lambda-verdict.ts'
import { SHOWCASE_DIR } from './showcase-server.ts'
import { FUZZ_JWT_SECRET } from './websocket-trigger.ts'

export interface LambdaTargets {
  readonly handlers: Readonly<Record<LambdaCase['target'], LambdaHandler>>
  /** Error records the functions logged (a failure on their side shows here first). */
  readonly errors: string[]
}

/**
 * The showcase's functions as `servey sls` generates their entries (handler-entry.ts): the
 * router with every action, GraphQL on `/graphql` and the page templates, and a per-action
 * function (`say_hello`), built in this process from the app's module. No jobs queue and no
 * connections table: what a function without them does is part of what is fuzzed.
 */
export function lambdaTargets(app: Record<string, unknown>): LambdaTargets {
  const errors: string[] = []
  const log: Logger = {
    debug: () => {},
    info: () => {},
    warn: () => {},
    error: (obj: unknown, msg?: string) => {
      if (errors.length < 200)
        errors.push(
          `${msg ?? ''} ${JSON.stringify(obj, (_k, v: unknown) => (v instanceof Error ? `${v.name}: ${v.message}` : v))?.slice(0, 300)}`,
        )
    },
    child: () => log,
  }
  const env = { JWT_SECRET_KEY: FUZZ_JWT_SECRET, LOG_LEVEL: 'error' }
  return {
    errors,
    handlers: {
      router: createLambdaHandler({
        actions: app,
        env,
        log,
        fetchRoutes: { '/graphql': (invoker) => createServeyYoga({ invoker }) },
        pages: { templates: join(SHOWCASE_DIR, 'templates') },
      }),
      say_hello: createLambdaHandler({ actions: app, action: 'say_hello', env, log }),
    },
  }
}

let invocation = 0

/** One invocation, as Lambda makes it: the event and a context with a request id. */
export function invokeLambda(
  targets: LambdaTargets,
  item: LambdaCase,
  waitMs = 60_000,
): Promise<LambdaOutcome> {
  return invokeWithin(targets.handlers[item.target], item.event, waitMs)
}

/** One invocation of a handler, with a wait after which it counts as never answered. */
export async function invokeWithin(
  handler: LambdaHandler,
  event: unknown,
  waitMs = 60_000,
): Promise<LambdaOutcome> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<LambdaOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timeout', ms: waitMs }), waitMs)
  })
  const run = (async (): Promise<LambdaOutcome> => {
    try {
      const value = await handler(event, {
        awsRequestId: `fuzz-${++invocation}`,
        getRemainingTimeInMillis: () => waitMs,
      })
      return { kind: 'returned', value }
    } catch (error) {
      return { kind: 'threw', error }
    }
  })()
  try {
    return await Promise.race([run, timeout])
  } finally {
    clearTimeout(timer)
  }
}
