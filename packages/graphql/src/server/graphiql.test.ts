import { createHash } from 'node:crypto'
import { browserTestsSkipped, recordRequestsElsewhere, useBrowserSession } from '@servey/testing'
import { describe, expect, it } from 'vitest'
import { buildTestApp } from '../test-app.ts'
import { offlineGraphiQL } from './graphiql.ts'

describe('the offline GraphiQL page', () => {
  it('is rendered on first request, once per options, its inline scripts allowed by hash', async () => {
    const graphiql = offlineGraphiQL()
    expect(graphiql.contentSecurityPolicy()).toBe('')
    const page = await graphiql.render({ title: 'Shop GraphiQL' })
    expect(page).toContain('<title>Shop GraphiQL</title>')
    expect(await graphiql.render({ title: 'Shop GraphiQL' })).toBe(page)
    const scripts = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1])
    expect(scripts.length).toBeGreaterThan(0)
    for (const script of scripts) {
      const hash = createHash('sha256')
        .update(script ?? '')
        .digest('base64')
      expect(graphiql.contentSecurityPolicy()).toContain(`'sha256-${hash}'`)
    }
  })
})

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
