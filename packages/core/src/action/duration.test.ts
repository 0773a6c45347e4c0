import { describe, expect, it } from 'vitest'
import { isDefinitionError } from '../errors/definition-error.ts'
import { toMilliseconds, type Duration } from './duration.ts'

describe('toMilliseconds', () => {
  it.each<[Duration, number]>([
    [250, 250],
    [0.5, 0.5],
    ['500ms', 500],
    ['15s', 15_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['2 days', 172_800_000],
    ['1500', 1500],
  ])('%j → %d ms', (value, expected) => {
    expect(toMilliseconds(value, 'a test')).toBe(expected)
  })

  it.each<unknown>([
    0,
    -1,
    '-1s',
    'soon',
    '',
    '0s',
    Number.NaN,
    Number.POSITIVE_INFINITY,
    'x'.repeat(120),
    null,
    {},
  ])('rejects %j with SERVEY_ERR_DURATION_INVALID naming what it was for', (value) => {
    let thrown: unknown
    try {
      toMilliseconds(value as Duration, 'the timeout of action slow')
    } catch (error) {
      thrown = error
    }
    expect(isDefinitionError(thrown)).toBe(true)
    expect(thrown).toBeInstanceOf(RangeError)
    expect(thrown).toMatchObject({ code: 'SERVEY_ERR_DURATION_INVALID' })
    expect((thrown as Error).message).toContain('the timeout of action slow')
  })
})
