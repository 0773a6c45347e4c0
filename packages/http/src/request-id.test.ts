import { describe, expect, it, vi } from 'vitest'
import { newRequestId } from './request-id.ts'

describe('newRequestId', () => {
  it('gives a new id on every call, with the same process prefix and a rising counter', () => {
    const first = newRequestId()
    const second = newRequestId()
    expect(first).toMatch(/^[0-9a-f]{16}-\d+$/)
    expect(second).not.toBe(first)
    const [prefix, count] = first.split('-')
    expect(second).toBe(`${prefix}-${Number(count) + 1}`)
  })

  it('draws a new random prefix each time the module is loaded (each process)', async () => {
    vi.resetModules()
    const other = (await import('./request-id.ts')).newRequestId()
    expect(other).toMatch(/^[0-9a-f]{16}-1$/)
    expect(other.split('-')[0]).not.toBe(newRequestId().split('-')[0])
  })
})
