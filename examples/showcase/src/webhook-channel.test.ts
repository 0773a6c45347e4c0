import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseAllowedHosts } from '@servey/core'
import { verifyCallbackSignature } from '@servey/scheduler'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually, startShowcase } from './channel-handlers.fixture.ts'

const SECRET = 'showcase-webhook-secret'

describe('showcase webhook channel: alerts POSTed to a real local receiver', () => {
  const received: Array<{
    method: string
    url: string
    headers: IncomingHttpHeaders
    body: string
  }> = []
  let refusals = 1
  const receiver = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      // The first delivery is refused: the sender retries.
      if (refusals-- > 0) return void response.writeHead(503).end()
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body,
      })
      response.writeHead(204).end()
    })
  })
  let showcase: Awaited<ReturnType<typeof startShowcase>>

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    const { port } = receiver.address() as AddressInfo
    // The app reads its webhook URL when it is loaded, as it would from its environment.
    process.env['SHOWCASE_ALERTS_WEBHOOK_URL'] = `http://127.0.0.1:${port}/alerts`
    const actions = await import('./actions/index.ts')
    showcase = await startShowcase(actions, {
      secret: SECRET,
      // What SERVEY_CALLBACK_ALLOWED_HOSTS=127.0.0.1 gives `servey start`.
      allowedHosts: parseAllowedHosts('127.0.0.1'),
    })
  })
  afterAll(async () => {
    await showcase.close()
    receiver.closeAllConnections()
    await new Promise((resolve) => receiver.close(resolve))
    delete process.env['SHOWCASE_ALERTS_WEBHOOK_URL']
  })

  it('delivers raise_alert events as signed JSON, after a refused first try', async () => {
    const response = await showcase.app.inject({
      method: 'POST',
      url: '/actions/raise-alert',
      payload: { level: 4, text: 'disk 91% full' },
    })
    expect(response.statusCode).toBe(200)
    const [call] = await eventually(async () => (received.length > 0 ? received : undefined))
    expect(call!.method).toBe('POST')
    expect(call!.url).toBe('/alerts')
    expect(call!.headers['content-type']).toBe('application/json')
    expect(JSON.parse(call!.body)).toEqual({ level: 4, text: 'disk 91% full' })
    expect(call!.headers['servey-channel']).toBe('alerts')
    expect(call!.headers['servey-event-id']).toBe(response.json().event)
    expect(
      verifyCallbackSignature(SECRET, call!.body, call!.headers['servey-signature'] as string),
    ).toBe(true)
    expect(received).toHaveLength(1)
  })
})
