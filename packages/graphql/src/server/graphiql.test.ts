import { browserTestsSkipped, recordRequestsElsewhere, useBrowserSession } from '@servey/testing'
import { describe, expect, it } from 'vitest'
import { buildTestApp } from '../test-app.ts'

describe.skipIf(browserTestsSkipped)('GraphiQL in headless chromium', () => {
  const session = useBrowserSession(async () => (await buildTestApp({ dev: true })).app)

  it('runs a typed query offline and shows the result', async () => {
    const page = await session.browser.newPage()
    // Any request that leaves the server means the page depends on a CDN.
    const external = recordRequestsElsewhere(page, session.base)
    await page.goto(`${session.base}/graphql`)
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
