import { toMilliseconds } from '@servey/core'
import type { LoadSheddingOptions } from '@servey/rest'

/** Mean event-loop delay (ms over one second) past which `servey start` answers 503. */
export const DEFAULT_MAX_EVENT_LOOP_DELAY = 1000

/**
 * `SERVEY_MAX_EVENT_LOOP_DELAY`: a duration (a bare number is milliseconds, `2s` works too),
 * `0` or `off` to turn load shedding off. A bad value fails start-up naming the variable
 * (SERVEY_ERR_DURATION_INVALID). One second by default: long enough that a busy but healthy
 * server (GC pauses, a burst of JSON) never refuses, short enough that a handler stuck in a
 * synchronous loop does not make every other client wait for it.
 */
export function loadSheddingFrom(env: NodeJS.ProcessEnv): LoadSheddingOptions | undefined {
  const value = env['SERVEY_MAX_EVENT_LOOP_DELAY']?.trim()
  if (value === undefined || value === '') {
    return { maxEventLoopDelay: DEFAULT_MAX_EVENT_LOOP_DELAY, retryAfter: 1 }
  }
  if (value === '0' || value.toLowerCase() === 'off') return undefined
  const maxEventLoopDelay = toMilliseconds(
    /^\d+$/.test(value) ? Number(value) : value,
    'SERVEY_MAX_EVENT_LOOP_DELAY',
  )
  return { maxEventLoopDelay, retryAfter: 1 }
}
