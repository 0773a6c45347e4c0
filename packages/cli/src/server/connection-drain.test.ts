import { createServer, get, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import { serveyChannels } from '@servey/channels'
import { channel, createChannelHub, createInvoker, createRegistry, Type } from '@servey/core'
import { createServer as createRestServer } from '@servey/rest'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { openConnection } from '../test-support/raw-http.ts'
import { trackConnections, type ConnectionDrain } from './connection-drain.ts'

/** A plain http.Server: `/slow?ms=` answers after a while, `/hold` never finishes its body. */
async function serve(): Promise<{ server: Server; drain: ConnectionDrain; port: number }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x')
    if (url.pathname === '/hold') {
      response.writeHead(200, { 'content-type': 'text/plain' })
      response.write('started')
      return
    }
    const ms = Number(url.searchParams.get('ms') ?? 0)
    setTimeout(() => response.end('ok'), ms)
  })
  const drain = trackConnections(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, drain, port: (server.address() as AddressInfo).port }
}

const refused = (port: number): Promise<string> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve('connected')
    })
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
  })

describe('trackConnections', () => {
  let server: Server | undefined
  afterEach(() => {
    server?.closeAllConnections()
    server?.close()
  })

  it('answers a request written on each idle keep-alive connection after close began: 20/20, then closes them', async () => {
    const served = await serve()
    server = served.server
    const connections = await Promise.all(
      Array.from({ length: 20 }, () => openConnection(served.port)),
    )
    // Each connection served one request already, and is idle now.
    for (const connection of connections) {
      expect((await connection.get('/', 'x')).headers['connection']).toBe('keep-alive')
    }
    const closed = served.drain.close({ graceMs: 20_000 })
    expect(served.drain.closing).toBe(true)
    expect(await refused(served.port)).toBe('ECONNREFUSED')
    const answers = await Promise.allSettled(connections.map((c) => c.get('/?ms=10', 'x')))
    const failed = answers.filter((answer) => answer.status === 'rejected')
    expect(failed).toEqual([])
    for (const answer of answers) {
      if (answer.status === 'fulfilled') {
        expect(answer.value.status).toBe(200)
        expect(answer.value.headers['connection']).toBe('close')
      }
    }
    // Each connection is then closed by the server, cleanly.
    expect(await Promise.all(connections.map((c) => c.ended))).toEqual(
      Array.from({ length: 20 }, () => 'end'),
    )
    expect(await closed).toEqual({ forced: 0 })
  })

  it('lets an in-flight request finish, answers it with Connection: close and closes', async () => {
    const served = await serve()
    server = served.server
    const connection = await openConnection(served.port)
    const answer = connection.get('/?ms=300', 'x')
    await new Promise((resolve) => setTimeout(resolve, 50))
    const closed = served.drain.close({ graceMs: 20_000 })
    expect((await answer).headers['connection']).toBe('close')
    expect(await connection.ended).toBe('end')
    expect(await closed).toEqual({ forced: 0 })
  })

  it('closes a connection that stays idle once the linger is over', async () => {
    const served = await serve()
    server = served.server
    const connection = await openConnection(served.port)
    await connection.get('/', 'x')
    const started = Date.now()
    expect(await served.drain.close({ graceMs: 20_000, idleLingerMs: 200 })).toEqual({
      forced: 0,
    })
    expect(await connection.ended).toBe('end')
    expect(Date.now() - started).toBeLessThan(15_000)
  })

  it('destroys what is still open at the grace deadline, so nothing holds the process', async () => {
    const served = await serve()
    server = served.server
    // A response that never ends, on a connection the client keeps open.
    const holding = new Promise<string>((resolve) => {
      get(`http://127.0.0.1:${served.port}/hold`, (response) => {
        response.on('error', () => resolve('cut'))
        response.on('close', () => resolve('cut'))
      })
    })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(served.drain.size).toBe(1)
    expect(await served.drain.close({ graceMs: 500 })).toEqual({ forced: 1 })
    expect(await holding).toBe('cut')
  })

  it('ends a response whose head went out as keep-alive before close began, once it finishes', async () => {
    const server2 = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '4' })
      response.write('ab')
      setTimeout(() => response.end('cd'), 300)
    })
    server = server2
    const drain = trackConnections(server2)
    await new Promise<void>((resolve) => server2.listen(0, '127.0.0.1', resolve))
    const connection = await openConnection((server2.address() as AddressInfo).port)
    const answer = connection.get('/', 'x')
    await new Promise((resolve) => setTimeout(resolve, 100))
    const closed = drain.close({ graceMs: 20_000 })
    expect((await answer).headers['connection']).toBe('keep-alive')
    expect(await connection.ended).toBe('end')
    expect(await closed).toEqual({ forced: 0 })
  })
})

/** An upgrade request for `path`, and the first text the server sends back. */
const upgrade = (port: number, path: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(
        `GET ${path} HTTP/1.1\r\nhost: x\r\nconnection: Upgrade\r\nupgrade: websocket\r\n` +
          'sec-websocket-version: 13\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      ),
    )
    socket.setEncoding('latin1')
    socket.once('data', (text: string) => {
      socket.destroy()
      resolve(text)
    })
    socket.once('error', reject)
    // A request nobody answers is the fault under test: fail fast instead of hanging.
    setTimeout(() => {
      socket.destroy()
      resolve('no answer')
    }, 3_000).unref()
  })

describe('trackConnections and websocket upgrades', () => {
  let server: Server | undefined
  afterEach(() => {
    server?.close()
    server = undefined
  })

  it('keeps the one upgrade listener of @servey/channels, which then refuses paths it does not serve', async () => {
    // Found by the fuzz harness: the tracker's own upgrade listener made two, and the channels
    // layer, no longer alone, left an upgrade to /nope unanswered with its socket held open.
    const registry = createRegistry({ chat: channel('chat', { payload: Type.String() }) })
    const hub = createChannelHub(registry)
    const invoker = createInvoker(registry, { channels: hub })
    const app = await createRestServer({
      invoker,
      extend: (scope) => scope.register(serveyChannels, { hub, authenticator: invoker }),
    })
    const drain = trackConnections(app.server)
    expect(app.server.listenerCount('upgrade')).toBe(1)
    const port = Number(new URL(await app.listen({ port: 0, host: '127.0.0.1' })).port)
    try {
      const refusal = await upgrade(port, '/nope')
      expect(refusal).toMatch(/^HTTP\/1\.1 404 /)
      expect(refusal).toContain('"code":"NOT_FOUND"')
      // The channels it serves still upgrade, and the tracker sees the socket as a websocket:
      // the drain leaves it to the channels layer, which closes it with 1001.
      const client = new WebSocket(`ws://127.0.0.1:${port}/channels/chat`)
      const first = await new Promise<string>((resolve) =>
        client.once('message', (data) => resolve(String(data))),
      )
      expect(JSON.parse(first)).toMatchObject({ type: 'subscribed', channel: 'chat' })
      const closed = new Promise<number>((resolve) => client.once('close', resolve))
      const drained = drain.close({ graceMs: 5_000, idleLingerMs: 50 })
      await app.close()
      expect(await closed).toBe(1001)
      expect(await drained).toEqual({ forced: 0 })
    } finally {
      await app.close()
    }
  })

  it('adds no upgrade listener to a server without one, which then answers upgrades as requests', async () => {
    const plain = createServer((_request, response) => response.end('plain'))
    server = plain
    trackConnections(plain)
    expect(plain.listenerCount('upgrade')).toBe(0)
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve))
    const answer = await upgrade((plain.address() as AddressInfo).port, '/anything')
    expect(answer).toMatch(/^HTTP\/1\.1 200 /)
    expect(answer).toContain('plain')
  })
})
