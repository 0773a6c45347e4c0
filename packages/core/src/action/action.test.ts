import { describe, expect, it } from 'vitest'
import { ACTION_KEY, isAction } from './action.ts'
import { action } from './define-action.ts'

describe('isAction', () => {
  it('recognises what action() returns', () => {
    expect(isAction(action({ name: 'ping' }, () => 'pong'))).toBe(true)
  })

  it.each([
    ['a plain function', () => 1],
    ['an object carrying a definition', { [ACTION_KEY]: {} }],
    ['a function whose key is null', Object.assign(() => 1, { [ACTION_KEY]: null })],
    ['null', null],
    ['a string', 'say_hello'],
  ])('rejects %s', (_label, value) => {
    expect(isAction(value)).toBe(false)
  })
})
