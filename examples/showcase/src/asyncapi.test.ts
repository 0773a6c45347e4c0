import { Parser } from '@asyncapi/parser'
import { serveyChannels } from '@servey/channels'
import { createChannelHub, createInvoker, createRegistry } from '@servey/core'
import { createServer } from '@servey/rest'
import { afterAll, beforeAll, expect, it } from 'vitest'
import * as actions from './actions/index.ts'

type Json = Record<string, any>

let app: Awaited<ReturnType<typeof createServer>>
let hub: ReturnType<typeof createChannelHub>
beforeAll(async () => {
  const registry = createRegistry(actions)
  hub = createChannelHub(registry)
  const invoker = createInvoker(registry, { channels: hub })
  app = await createServer({
    invoker,
    extend: (server) =>
      server.register(serveyChannels, {
        hub,
        authenticator: invoker,
        asyncapi: { title: '@servey/example-showcase', version: '0.0.0' },
      }),
  })
})
afterAll(async () => {
  await app.close()
  await hub.close()
})

it('serves an AsyncAPI 3.0 document of every channel that the official parser accepts', async () => {
  const response = await app.inject({ url: '/asyncapi.json', headers: { host: 'localhost:8000' } })
  expect(response.statusCode).toBe(200)
  const document = response.json() as Json
  const { document: parsed, diagnostics } = await new Parser().parse(response.body)
  // Severity 0 is an error and 1 a warning; the only hint left says AsyncAPI 3.1.0 exists.
  expect(diagnostics.filter((item) => item.severity <= 1)).toEqual([])
  expect(parsed).toBeDefined()
  expect(document['asyncapi']).toBe('3.0.0')
  expect(document['servers']['ws']).toMatchObject({ host: 'localhost:8000', protocol: 'ws' })
  for (const name of ['alerts', 'messenger', 'orders', 'signups']) {
    expect(document['channels'][name].address).toBe(`/channels/${name}`)
    expect(parsed?.channels().get(name)?.address()).toBe(`/channels/${name}`)
  }
  expect(document['components']['messages']['event.messenger'].examples).toEqual([
    { name: 'greeting', payload: { channel: 'messenger', id: '1733400000000-0', event: 'hi' } },
  ])
}, 60_000)
