import { describe, expect, it } from 'vitest'
import { isThenable } from './is-thenable.ts'

describe('isThenable', () => {
  it('is true for promises and objects with a then method', () => {
    expect(isThenable(Promise.resolve(1))).toBe(true)
    expect(isThenable({ then: () => undefined })).toBe(true)
  })

  it('is false for plain values, null and a non-function then', () => {
    for (const value of [undefined, null, 0, 'then', { then: 1 }, { result: 2 }, []]) {
      expect(isThenable(value)).toBe(false)
    }
  })
})
