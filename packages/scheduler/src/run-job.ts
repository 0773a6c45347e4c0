import {
  toProblem,
  type Authorization,
  type InvokeOutcome,
  type Invoker,
  type Logger,
  type Problem,
  type Trigger,
} from '@servey/core'

/** A job on its way into `invoker.invoke`: the whole pipeline runs again, as the caller. */
export interface JobRun {
  readonly action: string
  /** Handed to the pipeline, which coerces in place: pass a copy of anything shared. */
  readonly params: unknown
  readonly authorization: Authorization | null
  readonly trigger: Trigger
  readonly signal: AbortSignal
  readonly requestId: string
  readonly log: Logger
}

/** The trigger a background call sees: it came from a transport, and runs as job `id`. */
export interface JobTrigger extends Trigger {
  readonly kind: 'job'
  readonly id: string
  /** Records how far the job is (0 to 100), shown as `progress` at `/jobs/<id>`. */
  readonly progress: (percent: number) => Promise<void>
}

export function runJob(invoker: Invoker, run: JobRun): Promise<InvokeOutcome> {
  return invoker.invoke({
    action: run.action,
    input: run.params,
    authorization: run.authorization,
    trigger: run.trigger,
    signal: run.signal,
    requestId: run.requestId,
    log: run.log,
  })
}

/** The stored form of a failure: the problem a client would have seen, never internals. */
export function storedProblem(outcome: InvokeOutcome & { ok: false }, requestId: string): Problem {
  return toProblem(outcome.error, { requestId })
}
