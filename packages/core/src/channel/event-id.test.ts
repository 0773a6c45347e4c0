import { describe, expect, it } from 'vitest'
import { compareEventIds, isEventId, nextEventId } from './event-id.ts'

describe('event ids', () => {
  it('are ordered numerically, never as strings', () => {
    expect(compareEventIds('10-0', '9-5')).toBeGreaterThan(0)
    expect(compareEventIds('9-10', '9-9')).toBeGreaterThan(0)
    expect(compareEventIds('9-1', '9-1')).toBe(0)
  })

  it('never go back when the clock does', () => {
    expect(nextEventId(undefined, 5)).toBe('5-0')
    expect(nextEventId('5-0', 5)).toBe('5-1')
    expect(nextEventId('5-1', 3)).toBe('5-2')
    expect(nextEventId('5-2', 6)).toBe('6-0')
  })

  it('rejects anything else', () => {
    for (const bad of ['', '1', '1-', '-1', 'a-b', '1-2-3', 7, null, '99999999999999999-0']) {
      expect(isEventId(bad)).toBe(false)
    }
  })
})
