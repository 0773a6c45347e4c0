import { describe, expect, it } from 'vitest'
import { ActionError, toActionError } from './action-error.ts'
import { exitCodeOf, httpStatusOf, isRetryable } from './transport-mappings.ts'

describe('transport mappings', () => {
  it('uses the error status for HTTP', () => {
    expect(httpStatusOf(new ActionError('FORBIDDEN'))).toBe(403)
    expect(httpStatusOf(new ActionError('OUT_OF_STOCK', 'x', { status: 409 }))).toBe(409)
  })

  it('exits 2 for input the caller can fix and 1 for the rest', () => {
    expect(exitCodeOf(new ActionError('INVALID_PARAMS'))).toBe(2)
    expect(exitCodeOf(new ActionError('UNKNOWN_ACTION'))).toBe(2)
    expect(exitCodeOf(new ActionError('TIMEOUT'))).toBe(1)
    expect(exitCodeOf(toActionError(new Error('boom')))).toBe(1)
  })

  it('retries transient failures only', () => {
    expect(isRetryable(new ActionError('TIMEOUT'))).toBe(true)
    expect(isRetryable(new ActionError('UNAVAILABLE'))).toBe(true)
    expect(isRetryable(new ActionError('INVALID_PARAMS'))).toBe(false)
    expect(isRetryable(new ActionError('INVALID_RESULT'))).toBe(false)
    expect(isRetryable(new ActionError('INTERNAL', 'x', { retryable: false }))).toBe(false)
    expect(isRetryable(new ActionError('OUT_OF_STOCK', 'x', { status: 409 }))).toBe(false)
    expect(isRetryable(new ActionError('UPSTREAM_DOWN', 'x', { status: 502 }))).toBe(true)
  })
})
