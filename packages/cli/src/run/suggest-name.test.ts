import { describe, expect, it } from 'vitest'
import { suggestName } from './suggest-name.ts'

describe('suggestName', () => {
  const known = ['say_hello', 'number_stats', 'current_time_page']

  it('finds typos, other spellings and near misses', () => {
    expect(suggestName('say_helo', known)).toBe('say_hello')
    expect(suggestName('sayHello', known)).toBe('say_hello')
    expect(suggestName('say-hello', known)).toBe('say_hello')
    expect(suggestName('number_stat', known)).toBe('number_stats')
  })

  it('suggests nothing when no name is close, or there are none', () => {
    expect(suggestName('x', known)).toBeUndefined()
    expect(suggestName('delete_everything', known)).toBeUndefined()
    expect(suggestName('say_hello', [])).toBeUndefined()
  })
})
