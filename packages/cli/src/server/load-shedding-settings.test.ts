import { describe, expect, it } from 'vitest'
import { DEFAULT_MAX_EVENT_LOOP_DELAY, loadSheddingFrom } from './load-shedding-settings.ts'

describe('loadSheddingFrom', () => {
  it('is on with one second by default', () => {
    expect(loadSheddingFrom({})).toEqual({
      maxEventLoopDelay: DEFAULT_MAX_EVENT_LOOP_DELAY,
      retryAfter: 1,
    })
    expect(DEFAULT_MAX_EVENT_LOOP_DELAY).toBe(1000)
  })

  it('reads SERVEY_MAX_EVENT_LOOP_DELAY as milliseconds or a duration', () => {
    expect(loadSheddingFrom({ SERVEY_MAX_EVENT_LOOP_DELAY: '250' })?.maxEventLoopDelay).toBe(250)
    expect(loadSheddingFrom({ SERVEY_MAX_EVENT_LOOP_DELAY: '2s' })?.maxEventLoopDelay).toBe(2000)
  })

  it('is off with 0 or off', () => {
    expect(loadSheddingFrom({ SERVEY_MAX_EVENT_LOOP_DELAY: '0' })).toBeUndefined()
    expect(loadSheddingFrom({ SERVEY_MAX_EVENT_LOOP_DELAY: 'off' })).toBeUndefined()
  })

  it('refuses a bad value naming the variable', () => {
    expect(() => loadSheddingFrom({ SERVEY_MAX_EVENT_LOOP_DELAY: 'soon' })).toThrow(
      expect.objectContaining({
        code: 'SERVEY_ERR_DURATION_INVALID',
        message: expect.stringContaining('SERVEY_MAX_EVENT_LOOP_DELAY'),
      }),
    )
  })
})
