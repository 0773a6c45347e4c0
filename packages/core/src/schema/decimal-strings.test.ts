import { describe, expect, it } from 'vitest'
import { looseNumberIssue, looseNumberStrings } from './decimal-strings.ts'

describe('looseNumberStrings', () => {
  it('notes the strings JavaScript reads as numbers though they are not decimal', () => {
    const input = {
      hex: '0x10',
      binary: '0b11',
      octal: '0o7',
      spaced: ' 5',
      trailing: '5 ',
      blank: ' ',
      plus: '+5',
      bare: '.5',
      dot: '5.',
      list: ['1', '0X1F'],
    }
    expect(looseNumberStrings(input).map(({ path }) => path.join('/'))).toEqual([
      'hex',
      'binary',
      'octal',
      'spaced',
      'trailing',
      'blank',
      'plus',
      'bare',
      'dot',
      'list/1',
    ])
  })

  it('leaves decimal numbers and text that is no number at all alone', () => {
    const decimal = ['0', '-0', '5', '-12', '1.50', '1e3', '1E-3', '2.5e+10', '1e309']
    expect(looseNumberStrings({ decimal, text: ['', 'abc', 'true', '1,5', '0x'] })).toEqual([])
  })
})

describe('looseNumberIssue', () => {
  it('is an issue only where coercion made a number of the text', () => {
    const loose = looseNumberStrings({ a: '0x10', b: '0x10', c: { d: ' 5' } })
    expect(looseNumberIssue({ a: '0x10', b: '0x10', c: { d: ' 5' } }, loose)).toBeNull()
    expect(looseNumberIssue({ a: '0x10', b: 16, c: { d: ' 5' } }, loose)).toEqual({
      path: '/b',
      message: 'must be a decimal number (got "0x10")',
      keyword: 'decimal',
    })
    expect(looseNumberIssue({ a: '0x10', b: '0x10', c: { d: [5] } }, loose)?.path).toBe('/c/d')
  })
})
