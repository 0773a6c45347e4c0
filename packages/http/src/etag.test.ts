import { describe, expect, it } from 'vitest'
import { ifNoneMatchMatches, strongEtag } from './etag.ts'

describe('strongEtag', () => {
  it('is quoted, strong and stable for the same bytes', () => {
    const etag = strongEtag('"Hello"')
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/)
    expect(strongEtag(Buffer.from('"Hello"'))).toBe(etag)
    expect(strongEtag('"Hello!"')).not.toBe(etag)
  })
})

describe('ifNoneMatchMatches (weak comparison, RFC 9110)', () => {
  const etag = '"abc"'
  it.each([
    ['"abc"', true],
    ['W/"abc"', true],
    ['"x", "abc"', true],
    ['"x",W/"abc" , "y"', true],
    ['*', true],
    [' * ', true],
    ['"abd"', false],
    ['"x", "y"', false],
    ['abc', false],
    ['"abc', false],
    ['"x" "abc"', false],
    ['', false],
    ['W/abc', false],
    // RFC 9110 §5.6.1: empty list elements are ignored.
    [', , "abc" ,', true],
    [',"x",,W/"abc"', true],
    [' , ', false],
    ['"x",, "y",', false],
  ])('%j → %s', (header, expected) => {
    expect(ifNoneMatchMatches(header, etag)).toBe(expected)
  })

  it('ignores an absent header', () => {
    expect(ifNoneMatchMatches(undefined, etag)).toBe(false)
  })
})
