import type { FastifyInstance } from 'fastify'
import type { Browser } from '@servey/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserAvailable, browserRequired, launchBrowser } from '@servey/testing'
import { buildTestApp } from './test-app.ts'

describe.skipIf(!browserAvailable && !browserRequired)('Swagger UI in headless chromium', () => {
  let app: FastifyInstance
  let browser: Browser
  let base: string

  beforeAll(async () => {
    app = await buildTestApp()
    base = await app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser()
  }, 30_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  it('renders the operations offline and "Try it out" answers Hello World!', async () => {
    const page = await browser.newPage()
    const offline: string[] = []
    // Any request that leaves the server means the page depends on a CDN.
    page.on('request', (request) => {
      if (!request.url().startsWith(base) && !request.url().startsWith('data:'))
        offline.push(request.url())
    })
    await page.goto(`${base}/docs`)
    const operation = page.locator('#operations-actions-sayHello')
    await operation.waitFor({ timeout: 15_000 })
    expect(await operation.textContent()).toContain('/actions/say-hello')

    await operation.locator('.opblock-summary').click()
    await operation.getByRole('button', { name: 'Try it out' }).click()
    await operation.locator('input[placeholder="name"]').fill('World')
    await operation.getByRole('button', { name: 'Execute' }).click()
    const body = operation
      .locator('.responses-wrapper .live-responses-table .response-col_description pre')
      .first()
    await expect.poll(() => body.textContent(), { timeout: 10_000 }).toContain('Hello World!')
    expect(offline).toEqual([])
    await page.close()
  }, 60_000)
})
