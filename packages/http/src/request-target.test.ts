import { describe, expect, it } from 'vitest'
import { hasDotSegment } from './request-target.ts'

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
