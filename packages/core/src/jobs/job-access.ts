import type { Authorization } from '../action/context.ts'
import { ActionError } from '../errors/action-error.ts'
import type { JobState } from './job-runner.ts'

/**
 * Who may see (and cancel) a job: the subject who started it, or a holder of the admin scope.
 * A job started anonymously has no owner: its unguessable id is the only key to it. Core owns
 * the rule so every transport that exposes jobs applies the same one.
 */
export function canSeeJob(
  job: JobState,
  caller: Authorization | null,
  adminScope: string,
): boolean {
  if (caller?.scopes.includes(adminScope) === true) return true
  if (job.subject === null) return true
  return caller !== null && caller.subject === job.subject
}

/** A finished job cannot be cancelled: CONFLICT, with what became of it. */
export function checkCancellable(job: JobState): void {
  if (job.status === 'succeeded' || job.status === 'failed') {
    throw new ActionError('CONFLICT', `Job ${job.id} has already ${job.status}`)
  }
}
