import type { ActionError } from './action-error.ts'
import { ERROR_CODES, isKnownErrorCode, type ErrorCodeInfo } from './error-codes.ts'

const ROWS = Object.values(ERROR_CODES) as readonly ErrorCodeInfo[]

/**
 * The row an error maps through: its code's, else (a custom code such as `OUT_OF_STOCK` with
 * its own status) the first row with the same status, else a generic client or server error.
 */
function rowOf(error: ActionError): Pick<ErrorCodeInfo, 'wsClose' | 'exitCode'> {
  if (isKnownErrorCode(error.code)) return ERROR_CODES[error.code]
  const status = error.status
  return (
    ROWS.find((row) => row.status === status) ??
    (status >= 400 && status < 500
      ? { wsClose: 1008, exitCode: 2 }
      : { wsClose: 1011, exitCode: 1 })
  )
}

/**
 * Per-transport views of an error, read from the one transport table (`ERROR_CODES`). Every
 * adapter maps through these functions, never through a table of its own, so every transport
 * agrees on what a code means.
 */
export function httpStatusOf(error: ActionError): number {
  return error.status
}

/** The websocket close code when this error ends a connection (RFC 6455 §7.4). */
export function websocketCloseCodeOf(error: ActionError): number {
  return rowOf(error).wsClose
}

/** Exit code of a command-line run: 2 for input the caller can fix, 1 for a failure it cannot. */
export function exitCodeOf(error: ActionError): number {
  return rowOf(error).exitCode
}

/** Whether a job runner should retry after this error (BullMQ `UnrecoverableError` otherwise). */
export function isRetryable(error: ActionError): boolean {
  return error.retryable
}
