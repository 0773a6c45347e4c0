import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixture, startServey, type ServeyProcess } from '../test-support/servey-process.ts'

interface Received {
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

async function startReceiver(): Promise<{ server: Server; url: string; calls: Received[] }> {
  const calls: Received[] = []
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      calls.push({ headers: request.headers, body })
      response.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notes`,
    calls,
  }
}

async function until<T>(check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error('condition not met within 10 s')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

// The CLI composes the channel hub with the scheduler's job runner and webhook sender.
describe.each([
  ['start', /"api":"(http:\/\/[^"]+)"/],
  ['dev', /API\s+(http:\/\/\S+)/],
])('servey %s runs channel handlers', (command, ready) => {
  let servey: ServeyProcess
  let origin: string
  let receiver: Awaited<ReturnType<typeof startReceiver>>

  beforeAll(async () => {
    receiver = await startReceiver()
    servey = startServey([command, '--port', '0'], {
      cwd: fixture('handlers'),
      env: {
        NOTES_WEBHOOK_URL: receiver.url,
        SERVEY_CALLBACK_ALLOWED_HOSTS: '127.0.0.1',
        SERVEY_CALLBACK_SECRET: 'cli-test-secret',
      },
    })
    origin = (await servey.waitFor(ready, { timeoutMs: 30_000 }))[1] ?? ''
  }, 40_000)

  afterAll(async () => {
    await servey?.stop('SIGKILL')
    receiver?.server.closeAllConnections()
    await new Promise((resolve) => receiver?.server.close(resolve))
  })

  it('enqueues the background action and POSTs the webhook', async () => {
    const response = await fetch(`${origin}/actions/add-note`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: `from ${command}` }),
    })
    expect(response.status).toBe(200)
    const id = (await response.json()) as string
    const remembered = await until(async () => {
      const list = (await (await fetch(`${origin}/actions/remembered`)).json()) as string[]
      return list.length > 0 ? list : undefined
    })
    expect(remembered).toEqual([`from ${command}`])
    const [call] = await until(() => (receiver.calls.length > 0 ? receiver.calls : undefined))
    expect(JSON.parse(call!.body)).toEqual({ text: `from ${command}` })
    expect(call!.headers['servey-event-id']).toBe(id)
    expect(call!.headers['servey-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/)
  })
})
