import type { Authorization } from '../action/context.ts'
import type { Problem } from '../errors/problem.ts'

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'

/** Where to send the outcome of a job when it finishes (an asynchronous callback). */
export interface JobCallback {
  /** Checked against the SSRF rules before the job is accepted, and again on delivery. */
  readonly url: string
  /** Default POST. */
  readonly method: string
  /** When set, the body is `{ [key]: result }` instead of the bare result. */
  readonly key?: string
}

/** A call admitted by `invoker.admit`, to run later. */
export interface JobRequest {
  readonly action: string
  /** The params, already validated once; the job validates them again when it runs. */
  readonly params: unknown
  /** The verified caller: the job runs as them. */
  readonly authorization: Authorization | null
  readonly callback?: JobCallback
  readonly requestId?: string
  /** Start no sooner than this many milliseconds from now (a channel handler's `delay`). */
  readonly delayMs?: number
  /** Tries for a retryable failure, the first included (default: the runner's). */
  readonly attempts?: number
  /** First retry delay in milliseconds, doubled each time (default: the runner's). */
  readonly backoffMs?: number
  /**
   * Enqueue this request once this job has finished, whatever its outcome (after its last
   * retry): a channel's handler groups run one after another this way. Stored with the job, so
   * the rest of the chain survives a restart of the process that published.
   */
  readonly next?: JobRequest
  /**
   * A key the caller chose for this request (HTTP's `Idempotency-Key`). Enqueueing again with
   * the same key, action and caller gives the first job's id instead of a second job, for as
   * long as that job is kept (the runner's retention); different params under the same key
   * are refused with IDEMPOTENCY_KEY_REUSED. It makes a retry safe after an answer was lost.
   */
  readonly idempotencyKey?: string
}

/** What `GET /jobs/<id>` shows. */
export interface JobState {
  readonly id: string
  readonly action: string
  readonly status: JobStatus
  /** 0 to 100. */
  readonly progress: number
  /** Who started it (the `sub` of their token); null for an anonymous caller. */
  readonly subject: string | null
  readonly createdAt: string
  readonly finishedAt?: string
  readonly result?: unknown
  readonly error?: Problem
}

/**
 * The port between transports that start jobs (REST's `Prefer: respond-async`) and the
 * runtimes that run them (`@servey/scheduler`: in-process, or BullMQ on Redis). Every job runs
 * through `invoker.invoke`, so validation, access, timeout and cancellation apply as usual.
 */
export interface JobRunner {
  enqueue(request: JobRequest): Promise<string>
  /** undefined for an unknown or expired job. */
  get(id: string): Promise<JobState | undefined>
  /** Cancels a queued or running job (its handler's signal fires); undefined if unknown. */
  cancel(id: string): Promise<JobState | undefined>
}
