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
    // Whitespace around the comma, on either side.
    ['"x" , "abc"', true],
    ['"x"\t,\t"abc"', true],
  ])('%j → %s', (header, expected) => {
    expect(ifNoneMatchMatches(header, etag)).toBe(expected)
  })

  it('compares against a weak current tag too, and only drops a leading W/', () => {
    expect(ifNoneMatchMatches('"abc"', 'W/"abc"')).toBe(true)
    expect(ifNoneMatchMatches('W/"abc"', 'W/"abc"')).toBe(true)
    expect(ifNoneMatchMatches('"abd"', 'W/"abc"')).toBe(false)
    // `/` is an etagc: a tag that holds `W/` is not weak.
    expect(ifNoneMatchMatches('"aW/b"', '"aW/b"')).toBe(true)
    expect(ifNoneMatchMatches('"ab"', '"aW/b"')).toBe(false)
  })

  it('ignores an absent header', () => {
    expect(ifNoneMatchMatches(undefined, etag)).toBe(false)
  })
})
