import type { ActionContext } from '@servey/core'
import type { JobTrigger } from './run-job.ts'

/**
 * Report how far a background job is, from its handler: `await reportProgress(context, 50)`.
 * Shown as `progress` at `/jobs/<id>`; does nothing when the call is not a background job
 * (a direct call, a synchronous HTTP call, a schedule tick).
 */
export async function reportProgress(context: ActionContext, percent: number): Promise<void> {
  const trigger = context.trigger as Partial<JobTrigger>
  if (trigger.kind !== 'job' || typeof trigger.progress !== 'function') return
  await trigger.progress(Math.min(100, Math.max(0, Math.round(percent))))
}
