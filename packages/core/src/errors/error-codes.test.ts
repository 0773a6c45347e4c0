import { describe, expect, it } from 'vitest'
import { ERROR_CODES, isKnownErrorCode } from './error-codes.ts'

describe('ERROR_CODES', () => {
  const entries = Object.entries(ERROR_CODES)

  it('names every code in SCREAMING_SNAKE_CASE', () => {
    for (const [code] of entries) expect(code).toMatch(/^[A-Z]+(?:_[A-Z]+)*$/)
  })

  it('gives every code an HTTP error status', () => {
    for (const [, info] of entries) {
      expect(info.status).toBeGreaterThanOrEqual(400)
      expect(info.status).toBeLessThan(600)
    }
  })

  it('exposes every client error message, and masks the unexpected server errors', () => {
    for (const [code, info] of entries) {
      if (info.status < 500) expect({ code, expose: info.expose }).toEqual({ code, expose: true })
    }
    expect(ERROR_CODES.INTERNAL.expose).toBe(false)
    expect(ERROR_CODES.INVALID_RESULT.expose).toBe(false)
  })

  it('maps the statuses the design promises', () => {
    expect(ERROR_CODES.INVALID_PARAMS.status).toBe(400)
    expect(ERROR_CODES.UNAUTHENTICATED.status).toBe(401)
    expect(ERROR_CODES.FORBIDDEN.status).toBe(403)
    expect(ERROR_CODES.NOT_FOUND.status).toBe(404)
    expect(ERROR_CODES.TIMEOUT.status).toBe(504)
    expect(ERROR_CODES.INTERNAL.status).toBe(500)
  })
})

describe('isKnownErrorCode', () => {
  it('knows the table and nothing else', () => {
    expect(isKnownErrorCode('TIMEOUT')).toBe(true)
    expect(isKnownErrorCode('OUT_OF_STOCK')).toBe(false)
    expect(isKnownErrorCode('toString')).toBe(false)
  })
})
