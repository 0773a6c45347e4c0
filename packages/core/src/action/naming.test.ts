import { describe, expect, it } from 'vitest'
import { isValidActionName, toCamelCase, toKebabCase, toSnakeCase } from './naming.ts'

describe('toSnakeCase', () => {
  it.each([
    ['sayHello', 'say_hello'],
    ['SayHello', 'say_hello'],
    ['say_hello', 'say_hello'],
    ['HTTPServer', 'http_server'],
    ['getHTTPResponse', 'get_http_response'],
    ['numberStats2', 'number_stats2'],
    ['version2Beta', 'version2_beta'],
    ['x', 'x'],
  ])('%s → %s', (input, expected) => {
    expect(toSnakeCase(input)).toBe(expected)
  })

  it('leaves characters it cannot convert, so the name check can reject them', () => {
    const converted = toSnakeCase('say-hello')
    expect(converted).toBe('say-hello')
    expect(isValidActionName(converted)).toBe(false)
  })
})

describe('toKebabCase and toCamelCase', () => {
  it.each([
    ['say_hello', 'say-hello', 'sayHello'],
    ['generated_1', 'generated-1', 'generated1'],
    ['number_stats', 'number-stats', 'numberStats'],
    ['get_http_response', 'get-http-response', 'getHttpResponse'],
    ['ping', 'ping', 'ping'],
  ])('%s → %s and %s', (name, kebab, camel) => {
    expect(toKebabCase(name)).toBe(kebab)
    expect(toCamelCase(name)).toBe(camel)
  })

  it('converts camelCase back to the snake_case name it came from', () => {
    for (const name of ['say_hello', 'slow_get_with_ttl', 'only_for_root']) {
      expect(toSnakeCase(toCamelCase(name))).toBe(name)
    }
  })
})

describe('isValidActionName', () => {
  it.each(['say_hello', 'a', 'generated_1', 'generated1', 'v2_api'])('accepts %s', (name) => {
    expect(isValidActionName(name)).toBe(true)
  })

  it.each([
    '',
    'SayHello',
    'sayHello',
    'say-hello',
    '_private',
    'trailing_',
    'double__under',
    '1st',
    'with space',
    'émoji',
  ])('rejects %j', (name) => {
    expect(isValidActionName(name)).toBe(false)
  })
})
