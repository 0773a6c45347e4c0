import { fileURLToPath } from 'node:url'
import { createInvoker, createRegistry } from '@servey/core'
import { createServer } from '@servey/rest'
import { browserAvailable, browserRequired, launchBrowser } from '@servey/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as actions from './actions/index.ts'

const appDir = fileURLToPath(new URL('../', import.meta.url))

let app: Awaited<ReturnType<typeof createServer>>
beforeAll(async () => {
  app = await createServer({
    invoker: createInvoker(createRegistry(actions)),
    pages: { templates: `${appDir}templates`, public: `${appDir}public` },
  })
})
afterAll(() => app.close())

const TIME = /The current time is (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)/

describe('current_time_page', () => {
  it('renders the time as HTML', async () => {
    const response = await app.inject({ url: '/current-time-page' })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
    const time = TIME.exec(response.body)?.[1]
    expect(time).toBeDefined()
    expect(Math.abs(Date.parse(time as string) - Date.now())).toBeLessThan(60_000)
  })

  it('serves the public folder next to it', async () => {
    const response = await app.inject({ url: '/' })
    expect(response.body).toContain('<h1>Servey showcase</h1>')
    const css = await app.inject({ url: '/styles.css' })
    expect(css.headers['content-type']).toMatch(/^text\/css/)
  })

  it.skipIf(!browserAvailable && !browserRequired)(
    'shows the time in headless chromium',
    async () => {
      const base = await app.listen({ port: 0, host: '127.0.0.1' })
      const browser = await launchBrowser()
      try {
        const page = await browser.newPage()
        await page.goto(`${base}/current-time-page`)
        expect(await page.title()).toBe('Current time')
        const shown = TIME.exec((await page.locator('#current-time').textContent()) ?? '')?.[1]
        expect(Math.abs(Date.parse(shown as string) - Date.now())).toBeLessThan(60_000)
      } finally {
        await browser.close()
      }
    },
    40_000,
  )
})
