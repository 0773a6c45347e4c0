import { describe, expect, it } from 'vitest'
import { ActionError, toActionError } from './action-error.ts'
import {
  exitCodeOf,
  httpStatusOf,
  isRetryable,
  websocketCloseCodeOf,
} from './transport-mappings.ts'

describe('transport mappings', () => {
  it('uses the error status for HTTP', () => {
    expect(httpStatusOf(new ActionError('FORBIDDEN'))).toBe(403)
    expect(httpStatusOf(new ActionError('OUT_OF_STOCK', 'x', { status: 409 }))).toBe(409)
  })

  it('exits 2 for input the caller can fix, 1 for the rest, 130 when cancelled', () => {
    expect(exitCodeOf(new ActionError('INVALID_PARAMS'))).toBe(2)
    expect(exitCodeOf(new ActionError('UNKNOWN_ACTION'))).toBe(2)
    expect(exitCodeOf(new ActionError('TIMEOUT'))).toBe(1)
    expect(exitCodeOf(new ActionError('CANCELLED'))).toBe(130)
    expect(exitCodeOf(toActionError(new Error('boom')))).toBe(1)
  })

  it('closes websockets with the code of the table', () => {
    expect(websocketCloseCodeOf(new ActionError('UNAUTHENTICATED'))).toBe(1008)
    expect(websocketCloseCodeOf(new ActionError('FORBIDDEN'))).toBe(1008)
    expect(websocketCloseCodeOf(new ActionError('INVALID_PARAMS'))).toBe(1007)
    expect(websocketCloseCodeOf(new ActionError('UNSUPPORTED_MEDIA_TYPE'))).toBe(1003)
    expect(websocketCloseCodeOf(new ActionError('PAYLOAD_TOO_LARGE'))).toBe(1009)
    expect(websocketCloseCodeOf(new ActionError('UNAVAILABLE'))).toBe(1013)
    expect(websocketCloseCodeOf(toActionError(new Error('boom')))).toBe(1011)
  })

  it('maps a custom code through the row of its status, else as a generic 4xx or 5xx', () => {
    const outOfStock = new ActionError('OUT_OF_STOCK', 'x', { status: 409 })
    expect([websocketCloseCodeOf(outOfStock), exitCodeOf(outOfStock)]).toEqual([1008, 2])
    const tooBig = new ActionError('TOO_MANY_ITEMS', 'x', { status: 413 })
    expect(websocketCloseCodeOf(tooBig)).toBe(1009)
    const gone = new ActionError('GONE', 'x', { status: 410 })
    expect([websocketCloseCodeOf(gone), exitCodeOf(gone)]).toEqual([1008, 2])
    const upstream = new ActionError('UPSTREAM_DOWN', 'x', { status: 502 })
    expect([websocketCloseCodeOf(upstream), exitCodeOf(upstream)]).toEqual([1011, 1])
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
