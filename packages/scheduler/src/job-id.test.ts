import { describe, expect, it } from 'vitest'
import { idempotencyKeyReused, jobIdFor, sameParams } from './job-id.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const alice = { subject: 'alice', scopes: [], claims: {} }

describe('jobIdFor', () => {
  it('is a random UUID (version 4) without a key', () => {
    const request = { action: 'report', params: {}, authorization: null }
    const first = jobIdFor(request)
    expect(first).toMatch(UUID)
    expect(first[14]).toBe('4')
    expect(jobIdFor(request)).not.toBe(first)
  })

  it('is the same version-8 UUID for the same key, action and caller', () => {
    const request = { action: 'report', params: {}, authorization: alice, idempotencyKey: 'k-1' }
    const id = jobIdFor(request)
    expect(id).toMatch(UUID)
    expect(id[14]).toBe('8')
    // The params are not part of it: a retry with other params must find the first job.
    expect(jobIdFor({ ...request, params: { n: 2 } })).toBe(id)
    const others = [
      jobIdFor({ ...request, idempotencyKey: 'k-2' }),
      jobIdFor({ ...request, action: 'other' }),
      jobIdFor({ ...request, authorization: { ...alice, subject: 'bob' } }),
      jobIdFor({ ...request, authorization: null }),
    ]
    expect(new Set([id, ...others]).size).toBe(5)
  })

  it('cannot be steered by a key that contains the separators of the others', () => {
    const a = jobIdFor({ action: 'a', params: {}, authorization: null, idempotencyKey: 'b","c' })
    const b = jobIdFor({ action: 'a","b', params: {}, authorization: null, idempotencyKey: 'c' })
    expect(a).not.toBe(b)
  })
})

describe('sameParams', () => {
  it('compares as JSON, whatever the order of the fields', () => {
    expect(sameParams({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true)
    expect(sameParams({ a: 1 }, { a: 2 })).toBe(false)
    expect(sameParams({ a: [1, 2] }, { a: [2, 1] })).toBe(false)
    expect(sameParams(null, undefined)).toBe(true)
  })
})

it('idempotencyKeyReused is a 422 that names the action', () => {
  const error = idempotencyKeyReused({ action: 'report', params: {}, authorization: null })
  expect(error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', status: 422 })
  expect(error.message).toContain('report')
})
