import { afterEach, describe, expect, it } from 'vitest'
import { startServer, tokenFor, type TestServer } from '../test-support/channels-server.ts'

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** Reads SSE messages (blocks separated by a blank line) from a fetch response. */
function sseReader(response: Response) {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  return async function next(): Promise<Record<string, string>> {
    for (;;) {
      const end = buffer.indexOf('\n\n')
      if (end !== -1) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        if (block.startsWith(':')) continue
        const fields: Record<string, string> = {}
        for (const line of block.split('\n')) {
          const at = line.indexOf(': ')
          fields[line.slice(0, at)] = line.slice(at + 2)
        }
        return fields
      }
      const { value, done } = await reader.read()
      if (done) throw new Error('stream ended')
      buffer += decoder.decode(value, { stream: true })
    }
  }
}

describe('GET /channels/<name> as Server-Sent Events', () => {
  it('streams envelopes with ids, and resumes from Last-Event-ID', async () => {
    server = await startServer()
    const http = server.url.replace('ws:', 'http:')
    const controller = new AbortController()
    const response = await fetch(`${http}/channels/messenger`, {
      headers: { accept: 'text/event-stream' },
      signal: controller.signal,
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    const next = sseReader(response)
    const sent = await server.hub.publish('messenger', 'hello')
    expect(await next()).toEqual({
      id: sent.id,
      data: JSON.stringify({ channel: 'messenger', id: sent.id, event: 'hello' }),
    })
    controller.abort()

    await server.hub.publish('messenger', 'missed')
    const resumed = new AbortController()
    const again = await fetch(`${http}/channels/messenger`, {
      headers: { accept: 'text/event-stream', 'last-event-id': sent.id },
      signal: resumed.signal,
    })
    const nextAgain = sseReader(again)
    expect(JSON.parse((await nextAgain())['data'] as string)).toMatchObject({ event: 'missed' })
    resumed.abort()
  })

  it('answers refusals and bad requests with problem+json before streaming', async () => {
    server = await startServer()
    const http = server.url.replace('ws:', 'http:')
    const get = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${http}${path}`, { headers: { accept: 'text/event-stream', ...headers } })
    const unknown = await get('/channels/nope')
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toMatchObject({ code: 'UNKNOWN_CHANNEL' })
    expect((await get('/channels/admin-feed')).status).toBe(401)
    const bob = await get('/channels/admin-feed', {
      authorization: `Bearer ${await tokenFor('bob')}`,
    })
    expect(bob.status).toBe(403)
    const plain = await fetch(`${http}/channels/messenger`)
    expect(plain.status).toBe(400)
    expect(plain.headers.get('content-type')).toContain('application/problem+json')
  })

  it('refuses a since or Last-Event-ID that is not an event id with 400, before the stream (found by pnpm fuzz)', async () => {
    // It was a 200 whose stream sent `event: error` and ended: EventSource reconnects after
    // that with the same Last-Event-ID, forever; it gives up on a 400.
    server = await startServer()
    const http = server.url.replace('ws:', 'http:')
    const get = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${http}${path}`, { headers: { accept: 'text/event-stream', ...headers } })
    for (const [path, headers] of [
      ['/channels/messenger', { 'last-event-id': 'abc' }],
      ['/channels/messenger', { 'last-event-id': '99999999999999999-0' }],
      ['/channels/messenger?since=1-', {}],
      ['/channels/messenger?since=', {}],
      ['/channels/messenger?since=1-0&since=2-0', {}],
    ] as const) {
      const refused = await get(path, headers)
      expect(refused.status, `${path} ${JSON.stringify(headers)}`).toBe(400)
      expect(refused.headers.get('content-type')).toContain('application/problem+json')
      expect(await refused.json()).toMatchObject({ code: 'BAD_REQUEST' })
    }
    // Who may read comes first: an unknown channel is still a 404.
    expect((await get('/channels/nope?since=x')).status).toBe(404)
    // An empty Last-Event-ID is no id, and a good one streams.
    const controller = new AbortController()
    const good = await fetch(`${http}/channels/messenger?since=0-0`, {
      headers: { accept: 'text/event-stream', 'last-event-id': '' },
      signal: controller.signal,
    })
    expect(good.status).toBe(200)
    controller.abort()
  })
})
