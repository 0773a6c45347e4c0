import { describe, expect, it } from 'vitest'
import { DIRECT, isTrigger } from './trigger.ts'

describe('triggers', () => {
  it('has a frozen direct trigger for in-process calls', () => {
    expect(DIRECT).toEqual({ kind: 'direct' })
    expect(Object.isFrozen(DIRECT)).toBe(true)
  })

  it('accepts any object with a string kind, so packages can add kinds', () => {
    expect(isTrigger({ kind: 'schedule', every: '1m' })).toBe(true)
    expect(isTrigger(DIRECT)).toBe(true)
  })

  it.each([null, undefined, 'web', {}, { kind: 1 }])('rejects %j', (value) => {
    expect(isTrigger(value)).toBe(false)
  })
})
