import type { Authorization, JobCallback, JobRequest, Problem } from '@servey/core'

/** A call started by a transport (`Prefer: respond-async`), as stored in Redis. */
export interface CallJobData {
  readonly kind: 'call'
  readonly action: string
  readonly params: unknown
  readonly authorization: Authorization | null
  readonly callback?: JobCallback
  readonly requestId?: string
  /** Enqueued when this job has finished, whatever its outcome (channel handler groups). */
  readonly next?: JobRequest
}

/** A tick of a schedule: the trigger is looked up again when it runs, so edits apply. */
export interface ScheduleJobData {
  readonly kind: 'schedule'
  readonly action: string
  readonly index: number
}

export type ServeyJobData = CallJobData | ScheduleJobData

/** A failure travels through BullMQ's `failedReason` as the problem JSON. */
export function encodeProblem(problem: Problem): string {
  return JSON.stringify(problem)
}

export function decodeProblem(reason: string | undefined): Problem {
  try {
    const parsed = JSON.parse(reason ?? '') as Problem
    if (typeof parsed.code === 'string') return parsed
  } catch {
    // Not ours: BullMQ's own failures (a stalled job that ran out of retries, ...).
  }
  return {
    type: 'urn:servey:error:internal',
    title: 'Internal Server Error',
    status: 500,
    detail: 'The job failed',
    code: 'INTERNAL',
  }
}

export interface BullmqNames {
  /** Queue name. Default `servey`. */
  readonly queue: string
  /** Redis key prefix. Default `servey`: one prefix per app (or per test run). */
  readonly prefix: string
}

export function cancelKey(names: BullmqNames, id: string): string {
  return `${names.prefix}:${names.queue}:servey-cancelled:${id}`
}

export function cancelChannel(names: BullmqNames): string {
  return `${names.prefix}:${names.queue}:servey-cancel`
}

/** Scheduler ids: one per (action, schedule index), so changing a schedule updates it. */
export function schedulerId(action: string, index: number): string {
  return `${action}#${index}`
}
