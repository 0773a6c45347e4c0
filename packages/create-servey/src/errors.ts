/**
 * Mistakes create-servey refuses to act on. Each has a stable code, documented in
 * docs/reference/errors.md (a test keeps the two in step); the message says what to do.
 */
export class CreateServeyError extends Error {
  override readonly name = 'CreateServeyError'
  readonly code: CreateServeyErrorCode

  constructor(code: CreateServeyErrorCode, message: string) {
    super(message)
    this.code = code
  }
}

export const CREATE_SERVEY_ERROR_CODES = [
  'SERVEY_ERR_CREATE_DIR_NOT_EMPTY',
  'SERVEY_ERR_CREATE_NAME_INVALID',
  'SERVEY_ERR_CREATE_TRIGGER_UNKNOWN',
  'SERVEY_ERR_CREATE_TARBALLS_INVALID',
  'SERVEY_ERR_CREATE_USAGE',
] as const

export type CreateServeyErrorCode = (typeof CREATE_SERVEY_ERROR_CODES)[number]

export function isCreateServeyError(error: unknown): error is CreateServeyError {
  return error instanceof CreateServeyError
}
