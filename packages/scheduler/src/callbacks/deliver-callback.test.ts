import { afterEach, describe, expect, it } from 'vitest'
import { recordingLogger } from '../test-support/fixtures.ts'
import { startReceiver, type CallbackReceiver } from '../test-support/callback-receiver.ts'
import { callbackBody, deliverCallback } from './deliver-callback.ts'
import { SIGNATURE_HEADER, verifyCallbackSignature } from './signature.ts'

let receiver: CallbackReceiver | undefined
afterEach(async () => {
  await receiver?.close()
  receiver = undefined
})

const local = {
  secret: 's3cret',
  policy: { allowedHosts: ['127.0.0.1'] },
  backoffMs: 10,
  timeoutMs: 2000,
}

describe('deliverCallback', () => {
  it('retries a failing receiver with backoff; it gets the result once, signed', async () => {
    receiver = await startReceiver(2)
    const callback = { url: receiver.url, method: 'POST' }
    const body = callbackBody(callback, 'job-1', 'predict', { ok: true, result: [1, 2] })
    expect(await deliverCallback(callback, body, local, recordingLogger())).toBe(true)
    expect(receiver.calls).toHaveLength(1)
    const [call] = receiver.calls
    expect(call!.method).toBe('POST')
    expect(JSON.parse(call!.body)).toEqual({
      jobId: 'job-1',
      action: 'predict',
      status: 'succeeded',
      result: [1, 2],
    })
    expect(
      verifyCallbackSignature('s3cret', call!.body, call!.headers[SIGNATURE_HEADER] as string),
    ).toBe(true)
  })

  it('sends { key: result } with a callback key, with the requested method', async () => {
    receiver = await startReceiver()
    const callback = { url: receiver.url, method: 'PUT', key: 'prediction' }
    await deliverCallback(
      callback,
      callbackBody(callback, 'j', 'predict', { ok: true, result: 0.5 }),
      local,
      recordingLogger(),
    )
    expect(receiver.calls[0]).toMatchObject({ method: 'PUT', body: '{"prediction":0.5}' })
  })

  it('gives up after its attempts, and logs it', async () => {
    receiver = await startReceiver(10)
    const log = recordingLogger()
    const callback = { url: receiver.url, method: 'POST' }
    expect(await deliverCallback(callback, {}, { ...local, attempts: 3 }, log)).toBe(false)
    expect(log.lines.filter((line) => line.level === 'warn')).toHaveLength(3)
    expect(log.lines.at(-1)?.level).toBe('error')
  })

  it('checks the address again at delivery: a host that now resolves to a private address is refused', async () => {
    receiver = await startReceiver()
    const port = new URL(receiver.url).port
    const callback = { url: `http://rebound.example:${port}/hook`, method: 'POST' }
    const policy = { resolve: () => Promise.resolve(['127.0.0.1']) }
    expect(await deliverCallback(callback, {}, { ...local, policy }, recordingLogger())).toBe(false)
    expect(receiver.calls).toHaveLength(0)
  })

  it('connects to the address it checked', async () => {
    receiver = await startReceiver()
    const port = new URL(receiver.url).port
    const callback = { url: `http://receiver.internal:${port}/hook`, method: 'POST' }
    const policy = {
      allowedHosts: ['receiver.internal'],
      resolve: () => Promise.resolve(['127.0.0.1']),
    }
    expect(
      await deliverCallback(callback, { ok: 1 }, { ...local, policy }, recordingLogger()),
    ).toBe(true)
    expect(receiver.calls[0]?.headers.host).toBe(`receiver.internal:${port}`)
  })
})
