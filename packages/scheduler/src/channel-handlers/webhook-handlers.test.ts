import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { channel, createChannelHub, createInvoker, createRegistry, Type } from '@servey/core'
import { afterEach, describe, expect, it } from 'vitest'
import { verifyCallbackSignature } from '@servey/webhooks'
import { startScheduler } from '../create-scheduler.ts'
import { startReceiver } from '@servey/testing/webhook-receiver'
import { eventually, recordingLogger, sleep } from '../test-support/fixtures.ts'

const SECRET = 'webhook-test-secret'
const Alert = Type.Object({ level: Type.Integer(), text: Type.String() })

describe('webhook channels', () => {
  const open: Array<{ close(): Promise<void> }> = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map((item) => item.close()))
  })

  /** A hub whose webhooks go through a scheduler started as `servey start` does. */
  async function serve(actions: Record<string, unknown>, allowedHosts?: string[]) {
    const registry = createRegistry(actions)
    const log = recordingLogger()
    const invoker = createInvoker(registry, { log })
    const scheduler = await startScheduler({
      invoker,
      log,
      callbacks: {
        secret: SECRET,
        backoff: 30,
        ...(allowedHosts === undefined ? {} : { allowedHosts }),
      },
    })
    const hub = createChannelHub(registry, {
      log,
      handlers: { jobs: scheduler.jobs, webhooks: scheduler.webhooks },
    })
    open.push(hub, scheduler)
    return { hub, log }
  }

  it('POSTs the event as signed JSON with its channel and id, allowed by SERVEY_CALLBACK_ALLOWED_HOSTS', async () => {
    const receiver = await startReceiver()
    open.push(receiver)
    const alerts = channel('alerts', {
      payload: Alert,
      handlers: [{ webhook: receiver.url, headers: { 'x-api-key': 'k1' } }],
    })
    const before = process.env['SERVEY_CALLBACK_ALLOWED_HOSTS']
    process.env['SERVEY_CALLBACK_ALLOWED_HOSTS'] = '127.0.0.1'
    let served
    try {
      served = await serve({ alerts })
    } finally {
      if (before === undefined) delete process.env['SERVEY_CALLBACK_ALLOWED_HOSTS']
      else process.env['SERVEY_CALLBACK_ALLOWED_HOSTS'] = before
    }
    const envelope = await served.hub.publish(alerts, { level: 3, text: 'disk full' })
    const [call] = await eventually(() => (receiver.calls.length > 0 ? receiver.calls : undefined))
    expect(call!.method).toBe('POST')
    expect(call!.url).toBe('/hook')
    expect(call!.headers['content-type']).toBe('application/json')
    expect(call!.headers['contenttype']).toBeUndefined()
    expect(JSON.parse(call!.body)).toEqual({ level: 3, text: 'disk full' })
    expect(call!.headers['servey-channel']).toBe('alerts')
    expect(call!.headers['servey-event-id']).toBe(envelope.id)
    expect(call!.headers['x-api-key']).toBe('k1')
    expect(call!.headers['user-agent']).toBe('servey-webhook')
    const signature = call!.headers['servey-signature'] as string
    expect(verifyCallbackSignature(SECRET, call!.body, signature)).toBe(true)
    expect(verifyCallbackSignature('another-secret', call!.body, signature)).toBe(false)
    expect(verifyCallbackSignature(SECRET, `${call!.body} `, signature)).toBe(false)
  })

  it('retries refused deliveries with backoff, and gives up after its attempts', async () => {
    const receiver = await startReceiver(2)
    open.push(receiver)
    const alerts = channel('alerts', {
      payload: Alert,
      handlers: [
        { webhook: receiver.url, filter: (alert) => alert.level > 0, attempts: 3 },
        { webhook: receiver.url, attempts: 2, backoff: 10 },
      ],
    })
    const { hub, log } = await serve({ alerts }, ['127.0.0.1'])
    await hub.publish(alerts, { level: 1, text: 'third time lucky' })
    await eventually(() => (receiver.calls.length === 1 ? true : undefined))
    expect(JSON.parse(receiver.calls[0]!.body)).toMatchObject({ text: 'third time lucky' })

    const failing = await startReceiver(5)
    open.push(failing)
    const other = channel('other', {
      payload: Alert,
      handlers: [{ webhook: failing.url, attempts: 2, backoff: 10 }],
    })
    const second = await serve({ other }, ['127.0.0.1'])
    await second.hub.publish(other, { level: 0, text: 'lost' })
    await eventually(() =>
      second.log.lines.some((line) => line.msg === 'webhook not delivered') ? true : undefined,
    )
    expect(failing.calls).toHaveLength(0)
    expect(
      second.log.lines.filter((line) => line.msg === 'webhook refused by the receiver'),
    ).toHaveLength(2)
    expect(log.lines.some((line) => line.msg === 'webhook not delivered')).toBe(false)
  })

  it('times out a receiver that does not answer, and tries again', async () => {
    let requests = 0
    const bodies: string[] = []
    const server = createServer((request, response) => {
      requests++
      let body = ''
      request.on('data', (chunk: Buffer) => (body += chunk.toString()))
      request.on('end', () => {
        if (requests === 1) return // never answers
        bodies.push(body)
        response.writeHead(200).end('ok')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    open.push({
      close: () =>
        new Promise((resolve) => {
          server.closeAllConnections()
          server.close(() => resolve())
        }),
    })
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`
    const alerts = channel('alerts', {
      payload: Alert,
      handlers: [{ webhook: url, timeout: 200, backoff: 10 }],
    })
    const { hub, log } = await serve({ alerts }, ['127.0.0.1'])
    const started = Date.now()
    await hub.publish(alerts, { level: 2, text: 'slow' })
    // The publish does not wait for the receiver.
    expect(Date.now() - started).toBeLessThan(150)
    await eventually(() => (bodies.length === 1 ? true : undefined))
    expect(requests).toBe(2)
    expect(
      log.lines.some(
        (line) =>
          line.msg === 'webhook delivery failed' &&
          String((line.obj as { err: Error }).err).includes('timed out'),
      ),
    ).toBe(true)
  })

  it('refuses a private address the SSRF rules do not allow, and says so with a code', async () => {
    const receiver = await startReceiver()
    open.push(receiver)
    const alerts = channel('alerts', { payload: Alert, handlers: [{ webhook: receiver.url }] })
    const { hub, log } = await serve({ alerts }, [])
    await hub.publish(alerts, { level: 1, text: 'to nowhere' })
    const refused = await eventually(() => log.lines.find((line) => line.msg === 'webhook refused'))
    expect(refused.obj).toMatchObject({ code: 'BAD_REQUEST' })
    await sleep(50)
    expect(receiver.calls).toHaveLength(0)

    const named = channel('named', {
      payload: Alert,
      handlers: [{ webhook: receiver.url.replace('127.0.0.1', 'localhost') }],
    })
    const second = await serve({ named }, [])
    await second.hub.publish(named, { level: 1, text: 'by name' })
    await eventually(() =>
      second.log.lines.find((line) => line.msg === 'webhook refused') ? true : undefined,
    )
    expect(receiver.calls).toHaveLength(0)
  })
})
