import { startReceiver, type CallbackReceiver } from '@servey/testing/webhook-receiver'
import type { Logger } from '@servey/core'
import { afterEach, describe, expect, it } from 'vitest'
import { attemptDelivery, deliverWithRetries, retryDelayMs } from './deliver.ts'
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

function recordingLogger(): Logger & { lines: Array<{ level: string; msg?: string }> } {
  const lines: Array<{ level: string; msg?: string }> = []
  const at = (level: string) => (_obj: unknown, msg?: string) => {
    lines.push({ level, ...(msg === undefined ? {} : { msg }) })
  }
  const logger = {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  }
  return logger
}

describe('deliverWithRetries', () => {
  it('retries a failing receiver with backoff; it gets the payload once, signed', async () => {
    receiver = await startReceiver(2)
    const target = { url: receiver.url, method: 'POST' }
    expect(await deliverWithRetries(target, { result: [1, 2] }, local, recordingLogger())).toBe(
      true,
    )
    expect(receiver.calls).toHaveLength(1)
    const [call] = receiver.calls
    expect(call!.method).toBe('POST')
    expect(call!.body).toBe('{"result":[1,2]}')
    expect(call!.headers['content-type']).toBe('application/json')
    expect(call!.headers['user-agent']).toBe('servey-callback')
    expect(
      verifyCallbackSignature('s3cret', call!.body, call!.headers[SIGNATURE_HEADER] as string),
    ).toBe(true)
  })

  it('sends with the requested method and extra headers, which cannot replace its own', async () => {
    receiver = await startReceiver()
    await deliverWithRetries(
      { url: receiver.url, method: 'PUT' },
      { prediction: 0.5 },
      local,
      recordingLogger(),
      { what: 'webhook', headers: { 'x-api-key': 'k', 'content-type': 'text/plain' } },
    )
    expect(receiver.calls[0]).toMatchObject({ method: 'PUT', body: '{"prediction":0.5}' })
    expect(receiver.calls[0]!.headers['x-api-key']).toBe('k')
    expect(receiver.calls[0]!.headers['content-type']).toBe('application/json')
    expect(receiver.calls[0]!.headers['user-agent']).toBe('servey-webhook')
  })

  it('gives up after its attempts, and logs it', async () => {
    receiver = await startReceiver(10)
    const log = recordingLogger()
    const target = { url: receiver.url, method: 'POST' }
    expect(await deliverWithRetries(target, {}, { ...local, attempts: 3 }, log)).toBe(false)
    expect(log.lines.filter((line) => line.level === 'warn')).toHaveLength(3)
    expect(log.lines.at(-1)?.level).toBe('error')
  })

  it('checks the address again at delivery: a host that now resolves to a private address is refused, once', async () => {
    receiver = await startReceiver()
    const port = new URL(receiver.url).port
    const target = { url: `http://rebound.example:${port}/hook`, method: 'POST' }
    const policy = { resolve: () => Promise.resolve(['127.0.0.1']) }
    const log = recordingLogger()
    expect(await deliverWithRetries(target, {}, { ...local, policy }, log)).toBe(false)
    expect(receiver.calls).toHaveLength(0)
    expect(log.lines.filter((line) => line.level === 'warn')).toHaveLength(1)
  })

  it('connects to the address it checked', async () => {
    receiver = await startReceiver()
    const port = new URL(receiver.url).port
    const target = { url: `http://receiver.internal:${port}/hook`, method: 'POST' }
    const policy = {
      allowedHosts: ['receiver.internal'],
      resolve: () => Promise.resolve(['127.0.0.1']),
    }
    expect(
      await deliverWithRetries(target, { ok: 1 }, { ...local, policy }, recordingLogger()),
    ).toBe(true)
    expect(receiver.calls[0]?.headers.host).toBe(`receiver.internal:${port}`)
  })
})

describe('attemptDelivery', () => {
  it('tries once: a non-2xx answer is a retryable UNAVAILABLE with the status', async () => {
    receiver = await startReceiver(1)
    const target = { url: receiver.url, method: 'POST' }
    const first = await attemptDelivery(target, '{"n":1}', local)
    expect(first).toMatchObject({ ok: false, retryable: true, status: 500 })
    expect(first.ok ? undefined : first.error.code).toBe('UNAVAILABLE')
    expect(await attemptDelivery(target, '{"n":1}', local)).toEqual({ ok: true, status: 204 })
    expect(receiver.calls.map((call) => call.body)).toEqual(['{"n":1}'])
  })

  it('a refused literal address, or a URL that is not one, is final (BAD_REQUEST)', async () => {
    const refused = await attemptDelivery(
      { url: 'http://169.254.169.254/latest/meta-data', method: 'POST' },
      '{}',
      { ...local, policy: {} },
    )
    expect(refused).toMatchObject({ ok: false, retryable: false })
    expect(refused.ok ? undefined : refused.error.code).toBe('BAD_REQUEST')
    const invalid = await attemptDelivery({ url: 'not a url', method: 'POST' }, '{}', local)
    expect(invalid).toMatchObject({ ok: false, retryable: false })
  })

  it('a receiver that is not there is a retryable network failure', async () => {
    receiver = await startReceiver()
    const url = receiver.url
    await receiver.close()
    receiver = undefined
    const outcome = await attemptDelivery({ url, method: 'POST' }, '{}', local)
    expect(outcome).toMatchObject({ ok: false, retryable: true })
    expect(outcome.ok ? 0 : outcome.status).toBeUndefined()
  })
})

it('retryDelayMs doubles the first backoff after each try', () => {
  expect([1, 2, 3, 4].map((attempt) => retryDelayMs(1000, attempt))).toEqual([
    1000, 2000, 4000, 8000,
  ])
})
