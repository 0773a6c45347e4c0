import { createServer, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSwappableServer, type SwappableServer } from './swappable-server.ts'

function app(answer: string, delayMs = 0): { server: Server } {
  return {
    server: createServer((_request, response) => {
      setTimeout(() => response.end(answer), delayMs)
    }),
  }
}

describe('createSwappableServer', () => {
  let host: SwappableServer
  let origin: string

  beforeAll(async () => {
    host = createSwappableServer((_request, response) => {
      response.statusCode = 503
      response.end('no app yet')
    })
    await new Promise<void>((resolve) => host.server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(host.server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await host.close(100)
  })

  it('uses the fallback until an app is swapped in, then the newest app', async () => {
    const before = await fetch(origin)
    expect([before.status, await before.text()]).toEqual([503, 'no app yet'])
    const first = app('one')
    expect(host.swap(first)).toBeUndefined()
    expect(await (await fetch(origin)).text()).toBe('one')
    expect(host.swap(app('two'))).toBe(first)
    expect(await (await fetch(origin)).text()).toBe('two')
  })

  it('lets a request in progress finish on the app that accepted it', async () => {
    host.swap(app('slow old', 200))
    const pending = fetch(origin).then((response) => response.text())
    await new Promise((resolve) => setTimeout(resolve, 50))
    host.swap(app('new'))
    expect(await (await fetch(origin)).text()).toBe('new')
    expect(await pending).toBe('slow old')
  })

  it('passes upgrade requests to the app, and refuses them when it has no handler', async () => {
    const withUpgrade = app('plain')
    withUpgrade.server.on('upgrade', (_request, socket: Duplex) => {
      socket.end('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n')
    })
    const upgrade = (): Promise<string> =>
      new Promise((resolve) => {
        const { port } = host.server.address() as AddressInfo
        const socket = connect(port, '127.0.0.1', () => {
          socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n')
        })
        let received = ''
        socket.on('data', (chunk) => (received += chunk.toString()))
        socket.on('close', () => resolve(received))
      })
    host.swap(withUpgrade)
    expect(await upgrade()).toMatch(/^HTTP\/1\.1 101 /)
    host.swap(app('no upgrades'))
    expect(await upgrade()).toBe('')
  })
})
