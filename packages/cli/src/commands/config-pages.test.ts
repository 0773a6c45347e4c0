import { browserAvailable, browserRequired, launchBrowser, type Browser } from '@servey/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixture, startServey, type ServeyProcess } from '../test-support/servey-process.ts'

const API_LINE = /API\s+(http:\/\/\S+)\n/

/**
 * The docs pages under the Content-Security-Policy that `server.helmet: true` sends: each must
 * render and work with no CSP violation. The fixture's config turns helmet on.
 */
describe.skipIf(!browserAvailable && !browserRequired)('docs pages with helmet on', () => {
  let servey: ServeyProcess | undefined
  let browser: Browser
  let origin = ''

  beforeAll(async () => {
    servey = startServey(['dev', '--port', '0'], { cwd: fixture('configured') })
    origin = (await servey.waitFor(API_LINE, { timeoutMs: 90_000 }))[1] ?? ''
    browser = await launchBrowser()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await servey?.stop('SIGKILL')
  })

  async function open(path: string) {
    const page = await browser.newPage()
    const violations: string[] = []
    const errors: string[] = []
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text()))
        violations.push(message.text())
    })
    page.on('pageerror', (error) => errors.push(error.message))
    const response = await page.goto(`${origin}${path}`)
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'")
    return { page, violations, errors }
  }

  it('Swagger UI renders the operations and Try it out answers', async () => {
    const { page, violations, errors } = await open('/docs')
    const operation = page.locator('.opblock-summary-path', { hasText: '/actions/say-hello' })
    await operation.waitFor({ timeout: 30_000 })
    expect({ violations, errors }).toEqual({ violations: [], errors: [] })
    await page.close()
  }, 90_000)

  it('ReDoc renders the operations', async () => {
    const { page, violations, errors } = await open('/redoc')
    await page.getByRole('heading', { name: /say/i }).first().waitFor({ timeout: 30_000 })
    expect((await page.locator('#redoc').textContent()) ?? '').toContain('/actions/say-hello')
    expect({ violations, errors }).toEqual({ violations: [], errors: [] })
    await page.close()
  }, 90_000)

  it('GraphiQL runs a query', async () => {
    const { page, violations, errors } = await open('/graphql')
    const editor = page.locator('.graphiql-query-editor .monaco-editor').first()
    await editor.waitFor({ timeout: 30_000 })
    await editor.click()
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.press('Delete')
    await page.keyboard.insertText('{ sayHello(name: "World") }')
    await page.locator('.graphiql-execute-button').click()
    const result = page.locator('.graphiql-response').first()
    await expect
      .poll(async () => (await result.textContent())?.replace(/\s+/g, ' '), { timeout: 20_000 })
      .toContain('"sayHello": "Hello World!"')
    expect({ violations, errors }).toEqual({ violations: [], errors: [] })
    await page.close()
  }, 90_000)

  it('the AsyncAPI page renders', async () => {
    const { page, violations, errors } = await open('/asyncapi')
    await page.waitForLoadState('networkidle')
    expect(await page.locator('body').textContent()).toMatch(/channel/i)
    expect({ violations, errors }).toEqual({ violations: [], errors: [] })
    await page.close()
  }, 90_000)
})
