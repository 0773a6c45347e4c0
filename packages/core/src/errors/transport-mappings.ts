import type { ActionError } from './action-error.ts'

/**
 * Per-transport views of an error. Each adapter maps through these functions, never through its
 * own table, so every transport agrees on what a code means.
 */
export function httpStatusOf(error: ActionError): number {
  return error.status
}

/** Exit code for command-line runs: 2 for input the caller can fix, 1 for everything else. */
export function exitCodeOf(error: ActionError): number {
  return error.status >= 400 && error.status < 500 ? 2 : 1
}

/** Whether a job runner should retry after this error (BullMQ `UnrecoverableError` otherwise). */
export function isRetryable(error: ActionError): boolean {
  return error.retryable
}
