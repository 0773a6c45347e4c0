import { describe, expect, it } from 'vitest'
import { MAX_TOKEN_LENGTH, parseBearerHeader } from './bearer.ts'

const reasonOf = (header: string): unknown => {
  try {
    parseBearerHeader(header)
    return 'accepted'
  } catch (error) {
    return (error as { code: string; data: { reason: string } }).data.reason
  }
}

describe('parseBearerHeader', () => {
  it('reads one bearer token, scheme case-insensitive', () => {
    expect(parseBearerHeader('Bearer abc.def.ghi')).toBe('abc.def.ghi')
    expect(parseBearerHeader('bearer abc.def-_~+/=')).toBe('abc.def-_~+/=')
  })

  it.each([
    ['two bearer tokens', 'Bearer a.b.c, Bearer d.e.f'],
    ['two tokens after one scheme', 'Bearer a.b.c d.e.f'],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['no token', 'Bearer '],
    ['an empty header', ''],
    ['garbage', '!!!'],
  ])('refuses %s as a malformed header', (_label, header) => {
    expect(reasonOf(header)).toBe('malformed_header')
  })

  it('refuses a 100 KB token before parsing it', () => {
    expect(reasonOf(`Bearer ${'a'.repeat(100_000)}`)).toBe('token_too_large')
    expect(reasonOf(`Bearer ${'a'.repeat(MAX_TOKEN_LENGTH)}`)).toBe('accepted')
  })
})
