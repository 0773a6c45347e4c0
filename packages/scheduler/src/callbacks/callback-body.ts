import type { JobCallback, Problem } from '@servey/core'

/** The body a callback receiver gets. */
export interface CallbackBody {
  readonly jobId: string
  readonly action: string
  readonly status: 'succeeded' | 'failed' | 'cancelled'
  readonly result?: unknown
  readonly error?: Problem
}

export function callbackBody(
  callback: JobCallback,
  jobId: string,
  action: string,
  outcome: { ok: true; result: unknown } | { ok: false; error: Problem },
): CallbackBody | Record<string, unknown> {
  if (outcome.ok && callback.key !== undefined) return { [callback.key]: outcome.result ?? null }
  if (outcome.ok) return { jobId, action, status: 'succeeded', result: outcome.result ?? null }
  return {
    jobId,
    action,
    status: outcome.error.code === 'CANCELLED' ? 'cancelled' : 'failed',
    error: outcome.error,
  }
}
