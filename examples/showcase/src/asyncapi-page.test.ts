import { serveyChannels } from '@servey/channels'
import {
  createChannelHub,
  createInvoker,
  createJwtAuthenticator,
  createJwtIssuer,
  createRegistry,
} from '@servey/core'
import { createServer } from '@servey/rest'
import type { Browser } from '@servey/testing'
import { browserAvailable, browserRequired, launchBrowser } from '@servey/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as actions from './actions/index.ts'

describe.skipIf(!browserAvailable && !browserRequired)(
  'the /asyncapi page in headless chromium',
  () => {
    let app: Awaited<ReturnType<typeof createServer>>
    let hub: ReturnType<typeof createChannelHub>
    let browser: Browser
    let base: string
    const secret = 'a-page-test-secret-long-enough-for-hs256'

    beforeAll(async () => {
      const registry = createRegistry(actions)
      hub = createChannelHub(registry)
      const invoker = createInvoker(registry, {
        channels: hub,
        authenticator: await createJwtAuthenticator({ secret }),
      })
      app = await createServer({
        invoker,
        extend: (server) =>
          server.register(serveyChannels, {
            hub,
            authenticator: invoker,
            asyncapi: { title: 'Showcase' },
          }),
      })
      base = await app.listen({ port: 0, host: '127.0.0.1' })
      browser = await launchBrowser()
    }, 30_000)

    afterAll(async () => {
      await browser?.close()
      await app?.close()
      await hub?.close()
    })

    it('renders the channels offline; try-it receives an event published by POST /actions/broadcast-message', async () => {
      const page = await browser.newPage()
      const elsewhere: string[] = []
      // Any request or socket that leaves this server means the page depends on the internet.
      page.on('request', (request) => {
        if (!request.url().startsWith(base)) elsewhere.push(request.url())
      })
      page.on('websocket', (socket) => {
        if (!socket.url().startsWith(base.replace('http://', 'ws://'))) elsewhere.push(socket.url())
      })
      await page.goto(`${base}/asyncapi`)
      await page.locator('body[data-ready="true"]').waitFor({ timeout: 15_000 })
      for (const name of ['alerts', 'messenger', 'orders', 'signups']) {
        expect(await page.locator(`#channel-${name} h3`).textContent()).toContain(name)
      }
      expect(await page.locator('#channel-messenger .example').textContent()).toContain(
        '"event": "hi"',
      )

      await page.selectOption('#channel', 'messenger')
      await page.click('#connect')
      const frames = page.locator('#frames li')
      await expect
        .poll(() => frames.first().textContent(), { timeout: 10_000 })
        .toContain('"subscribed"')
      const response = await fetch(`${base}/actions/broadcast-message`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'hello from REST' }),
      })
      expect(response.status).toBe(200)
      const id = (await response.json()) as string
      await expect
        .poll(() => frames.allTextContents(), { timeout: 10_000 })
        .toContain(JSON.stringify({ channel: 'messenger', id, event: 'hello from REST' }))
      // The Publish button calls the action that declares `publishes: [messenger]`, over REST,
      // starting from its first example's params.
      expect(await page.locator('#channel-messenger .publishers').textContent()).toBe(
        'Published by: broadcast_message (POST /actions/broadcast-message)',
      )
      expect(await page.locator('#publisher option').allTextContents()).toEqual([
        'broadcast_message (POST /actions/broadcast-message)',
      ])
      expect(JSON.parse(await page.inputValue('#publish-params'))).toEqual({ message: 'hi' })
      await page.fill('#publish-params', JSON.stringify({ message: 'from the button' }))
      await page.click('#publish')
      const published = page.locator('#publish-status')
      await expect
        .poll(() => published.textContent(), { timeout: 10_000 })
        .toMatch(/^POST \/actions\/broadcast-message → 200 "\d+-\d+"$/)
      const buttonId = JSON.parse((await published.textContent())!.split(' → 200 ')[1]!) as string
      await expect
        .poll(() => frames.allTextContents(), { timeout: 10_000 })
        .toContain(JSON.stringify({ channel: 'messenger', id: buttonId, event: 'from the button' }))
      // With the token field set, the call carries it: a valid token is accepted...
      const { token } = await createJwtIssuer({ secret }).issue({ subject: 'tester', scopes: [] })
      await page.fill('#token', token)
      await page.click('#publish')
      await expect
        .poll(() => published.textContent(), { timeout: 10_000 })
        .toMatch(/→ 200 "\d+-\d+"$/)
      expect(await published.textContent()).not.toContain(buttonId)
      // ...and one that does not verify is refused by the action's REST route.
      await page.fill('#token', 'not-a-valid-token')
      await page.click('#publish')
      await expect
        .poll(() => published.textContent(), { timeout: 10_000 })
        .toContain('POST /actions/broadcast-message → 401 ')
      expect(await published.getAttribute('class')).toBe('error')
      // Params that are not JSON never leave the page.
      await page.fill('#publish-params', '{not json')
      await page.click('#publish')
      expect(await published.textContent()).toMatch(/^The params are not JSON/)
      await page.fill('#token', '')
      await page.click('#disconnect')
      await expect.poll(() => page.locator('#status').textContent()).toContain('Closed (1005')

      // A token the server cannot verify: the error frame, then close 1008.
      await page.fill('#token', 'not-a-valid-token')
      await page.click('#connect')
      await expect
        .poll(() => page.locator('#frames li.error').textContent(), { timeout: 10_000 })
        .toContain('"type":"error"')
      await expect.poll(() => page.locator('#status').textContent()).toContain('Closed (1008')
      expect(elsewhere).toEqual([])
      await page.close()
    }, 90_000)
  },
)
