import { describe, expect, it } from 'vitest'
import { silentLogger } from './logger.ts'

describe('silentLogger', () => {
  it('accepts every call and stays itself through child()', () => {
    for (const level of ['debug', 'info', 'warn', 'error'] as const) {
      expect(silentLogger[level]({ any: 'thing' }, 'message')).toBeUndefined()
    }
    expect(silentLogger.child({ action: 'x' })).toBe(silentLogger)
  })
})
