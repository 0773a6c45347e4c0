import { describe, expect, it } from 'vitest'
import { callbackSecretFromEnv, signCallback, verifyCallbackSignature } from './signature.ts'

describe('callback signatures', () => {
  const body = '{"jobId":"1","status":"succeeded","result":42}'
  const now = Date.UTC(2026, 0, 1)

  it('verifies what it signs, and nothing else', () => {
    const header = signCallback('secret', body, now)
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/)
    expect(verifyCallbackSignature('secret', body, header, { now })).toBe(true)
    expect(verifyCallbackSignature('other', body, header, { now })).toBe(false)
    expect(verifyCallbackSignature('secret', `${body} `, header, { now })).toBe(false)
    expect(verifyCallbackSignature('secret', body, undefined, { now })).toBe(false)
    expect(verifyCallbackSignature('secret', body, 'v1=abc', { now })).toBe(false)
  })

  it('refuses old signatures (replays)', () => {
    const header = signCallback('secret', body, now)
    expect(verifyCallbackSignature('secret', body, header, { now: now + 301_000 })).toBe(false)
    expect(verifyCallbackSignature('secret', body, header, { now: now + 10_000 })).toBe(true)
  })

  it('takes the key from SERVEY_CALLBACK_SECRET, else a random one', () => {
    expect(callbackSecretFromEnv({ SERVEY_CALLBACK_SECRET: 'k' })).toBe('k')
    expect(callbackSecretFromEnv({})).not.toBe(callbackSecretFromEnv({}))
  })
})
