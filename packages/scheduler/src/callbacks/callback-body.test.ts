import { describe, expect, it } from 'vitest'
import { callbackBody } from './callback-body.ts'

describe('callbackBody', () => {
  const callback = { url: 'https://receiver.example/hook', method: 'POST' }

  it('is the job, its status and its result, or { key: result } with a callback key', () => {
    expect(callbackBody(callback, 'job-1', 'predict', { ok: true, result: [1, 2] })).toEqual({
      jobId: 'job-1',
      action: 'predict',
      status: 'succeeded',
      result: [1, 2],
    })
    expect(
      callbackBody({ ...callback, key: 'prediction' }, 'j', 'predict', { ok: true, result: 0.5 }),
    ).toEqual({ prediction: 0.5 })
  })

  it('says failed or cancelled with the problem', () => {
    const problem = { type: 't', title: 'T', status: 504, code: 'TIMEOUT', detail: 'd' }
    expect(callbackBody(callback, 'j', 'predict', { ok: false, error: problem })).toMatchObject({
      status: 'failed',
      error: problem,
    })
    expect(
      callbackBody(callback, 'j', 'predict', {
        ok: false,
        error: { ...problem, code: 'CANCELLED', status: 499 },
      }),
    ).toMatchObject({ status: 'cancelled' })
  })
})
