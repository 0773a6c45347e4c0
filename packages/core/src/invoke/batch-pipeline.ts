import { ActionError } from '../errors/action-error.ts'
import type { RegisteredAction } from '../registry/registered-action.ts'
import { InvocationContext } from './invocation-context.ts'
import {
  runPipeline,
  type InvokeOutcome,
  type InvokeRequest,
  type PipelineSettings,
} from './pipeline.ts'

/**
 * One nested action called for many parents with the same params: the GraphQL field
 * `factorial` on every item of a `[NumberStats]` list. Everything but `parents` is shared.
 */
export interface InvokeBatchRequest extends Omit<InvokeRequest, 'parent'> {
  readonly parents: readonly unknown[]
}

interface Waiting {
  readonly parent: unknown
  readonly params: unknown
  readonly context: InvocationContext
  resolve(value: unknown): void
  reject(error: unknown): void
}

/**
 * Every parent runs the whole pipeline as its own call (token, access, validation, hooks such
 * as a cache, result check, errors), so a batched field is exactly as guarded as a single
 * one. Only the handler step is shared: the calls that reach it wait for each other, and once
 * every call has either arrived or finished early (refused, answered from a cache) the batch
 * handler runs once for those that arrived. An action without `batch` runs call by call.
 */
export function runBatchPipeline(
  action: RegisteredAction,
  request: InvokeBatchRequest,
  settings: PipelineSettings,
): Promise<InvokeOutcome[]> {
  const { parents, ...shared } = request
  const batch = action.definition.batch
  if (batch === undefined) {
    return Promise.all(
      parents.map((parent) =>
        Promise.resolve(runPipeline(action, { ...shared, parent }, settings)),
      ),
    )
  }
  const waiting: Waiting[] = []
  let pending = parents.length

  const flush = (): void => {
    const items = waiting.splice(0)
    const first = items[0]
    if (first === undefined) return
    const context = new InvocationContext(
      action.name,
      first.context.authorization,
      first.context.log,
      first.context.trigger,
      first.context.requestId,
      undefined,
      first.context.publisher,
      first.context.cache,
      action.definition.publishes,
    )
    // The calls share one deadline; when it passes (or the caller leaves) the batch is told.
    first.context.signal.addEventListener(
      'abort',
      () => context.abort(first.context.signal.reason),
      {
        once: true,
      },
    )
    const fail = (error: unknown): void => items.forEach((item) => item.reject(error))
    let results: unknown
    try {
      results = batch(items.map((item) => item.parent) as never[], first.params as never, context)
    } catch (error) {
      fail(error)
      return
    }
    Promise.resolve(results).then((values) => {
      if (!Array.isArray(values) || values.length !== items.length) {
        const got = Array.isArray(values) ? `${values.length} results` : typeof values
        fail(
          new ActionError(
            'INTERNAL',
            `The batch handler of action ${action.name} returned ${got} for ${items.length} parents`,
            { expose: false },
          ),
        )
        return
      }
      items.forEach((item, index) => item.resolve(values[index]))
    }, fail)
  }
  const settled = (): void => {
    pending -= 1
    if (pending === 0) flush()
  }

  return Promise.all(
    parents.map((parent) => {
      let arrived = false
      const gather = (params: unknown, context: InvocationContext) =>
        new Promise((resolve, reject) => {
          arrived = true
          waiting.push({ parent, params, context, resolve, reject })
          settled()
        })
      return Promise.resolve(runPipeline(action, { ...shared, parent }, settings, gather)).then(
        (outcome) => {
          if (!arrived) settled()
          return outcome
        },
      )
    }),
  )
}
