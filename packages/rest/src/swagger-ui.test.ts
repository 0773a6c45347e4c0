import { browserTestsSkipped, recordRequestsElsewhere, useBrowserSession } from '@servey/testing'
import { describe, expect, it } from 'vitest'
import { buildTestApp } from './test-app.ts'

describe.skipIf(browserTestsSkipped)('Swagger UI in headless chromium', () => {
  const session = useBrowserSession(() => buildTestApp())

  it('renders the operations offline and "Try it out" answers Hello World!', async () => {
    const page = await session.browser.newPage()
    // Any request that leaves the server means the page depends on a CDN.
    const elsewhere = recordRequestsElsewhere(page, session.base)
    await page.goto(`${session.base}/docs`)
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
    expect(elsewhere).toEqual([])
    await page.close()
  }, 60_000)
})
