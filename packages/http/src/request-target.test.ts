import { describe, expect, it } from 'vitest'
import { badUrlError, decodesCleanly, dotSegmentError, hasDotSegment } from './request-target.ts'

describe('hasDotSegment', () => {
  it.each([
    '/../package.json',
    '/..',
    '/a/./b',
    '/a/.',
    '/%2e%2e/package.json',
    '/%2E%2E/%2E%2E/etc/passwd',
    '/.%2e/x',
    '/static/..%2f..%2fpackage.json',
    '/static/..%5Cwin.ini',
    '/a\\..\\b',
    '..',
  ])('finds one in %s', (path) => {
    expect(hasDotSegment(path)).toBe(true)
  })

  it.each([
    '/',
    '/actions/say-hello',
    '/styles.css',
    '/a/.hidden',
    '/a/...',
    '/a/..b',
    '/a/b..',
    '/%20',
  ])('finds none in %s', (path) => {
    expect(hasDotSegment(path)).toBe(false)
  })
})

describe('decodesCleanly', () => {
  it.each(['/', '/items/a%20b', '/items/%E2%82%AC', '/items/plain'])('accepts %s', (path) => {
    expect(decodesCleanly(path)).toBe(true)
  })

  it.each(['/items/%E0%A4%A', '/items/%FF', '/items/%', '/items/%zz'])('refuses %s', (path) => {
    expect(decodesCleanly(path)).toBe(false)
  })
})

describe('the answers to a bad request target', () => {
  it('are 400 BAD_REQUEST, each saying what is wrong', () => {
    expect(dotSegmentError()).toMatchObject({
      code: 'BAD_REQUEST',
      status: 400,
      message: "The path holds a '.' or '..' segment",
    })
    expect(badUrlError()).toMatchObject({
      code: 'BAD_REQUEST',
      status: 400,
      message: 'The URL is not valid',
    })
  })
})
