import type { FastifyInstance } from 'fastify'
import type { Browser } from '@servey/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../test-app.ts'
import { browserAvailable, browserRequired, launchBrowser } from '@servey/testing'

describe.skipIf(!browserAvailable && !browserRequired)('GraphiQL in headless chromium', () => {
  let app: FastifyInstance
  let browser: Browser
  let base: string

  beforeAll(async () => {
    ;({ app } = await buildTestApp({ dev: true }))
    base = await app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser()
  }, 30_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  it('runs a typed query offline and shows the result', async () => {
    const page = await browser.newPage()
    const external: string[] = []
    // Any request that leaves the server means the page depends on a CDN.
    page.on('request', (request) => {
      const url = request.url()
      if (!url.startsWith(base) && !url.startsWith('data:') && !url.startsWith('blob:'))
        external.push(url)
    })
    await page.goto(`${base}/graphql`)
    const editor = page.locator('.graphiql-query-editor .monaco-editor').first()
    await editor.waitFor({ timeout: 20_000 })
    await editor.click()
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.press('Delete')
    // insertText, not typing: the editor would auto-close every bracket and quote typed.
    await page.keyboard.insertText(
      '{ sayHello(name: "World") numberStats(value: 5) { value factorial } }',
    )
    await page.locator('.graphiql-execute-button').click()
    const response = page.locator('.graphiql-response').first()
    await expect
      .poll(async () => (await response.textContent())?.replace(/\s+/g, ' '), { timeout: 15_000 })
      .toContain('"sayHello": "Hello World!"')
    expect((await response.textContent())?.replace(/\s+/g, ' ')).toContain('"factorial": 120')
    expect(external).toEqual([])
    await page.close()
  }, 60_000)
})
