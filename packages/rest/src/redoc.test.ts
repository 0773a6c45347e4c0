import { browserTestsSkipped, recordRequestsElsewhere, useBrowserSession } from '@servey/testing'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from './test-app.ts'

describe('GET /redoc', () => {
  let app: FastifyInstance

  beforeAll(async () => {
    app = await buildTestApp()
  })

  afterAll(async () => {
    await app?.close()
  })

  it('serves a page whose every asset is a relative URL on this server', async () => {
    const page = await app.inject({ method: 'GET', url: '/redoc' })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    const sources = [...page.body.matchAll(/(?:src|href|data-spec-url)="([^"]+)"/g)].map(
      (match) => match[1],
    )
    expect(sources).toEqual(['openapi.json', 'redoc/redoc.standalone.js', 'redoc/init.js'])
    expect(page.body).not.toMatch(/https?:\/\//)
  })

  it('serves ReDoc from the npm package, cacheable, and no route of its own in OpenAPI', async () => {
    const bundle = await app.inject({ method: 'GET', url: '/redoc/redoc.standalone.js' })
    expect(bundle.statusCode).toBe(200)
    expect(bundle.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(bundle.headers['cache-control']).toBe('public, max-age=86400')
    expect(bundle.body.length).toBeGreaterThan(500_000)
    // Its one CDN URL (the sidebar logo) is rewritten to an inline image.
    expect(bundle.body).not.toContain('https://cdn.redoc.ly')
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, unknown>
    }
    expect(Object.keys(document.paths).filter((path) => path.startsWith('/redoc'))).toEqual([])
  })
})

describe.skipIf(browserTestsSkipped)('ReDoc in headless chromium', () => {
  const session = useBrowserSession(() => buildTestApp())

  it('renders the operations with no request leaving the server', async () => {
    const page = await session.browser.newPage()
    // Any request that leaves the server means the page depends on a CDN or web fonts.
    const outside = recordRequestsElsewhere(page, session.base)
    const failed: string[] = []
    page.on('requestfailed', (request) => failed.push(request.url()))
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(`${session.base}/redoc`)
    // ReDoc's operation headings and the HTTP verb + path of each operation.
    const operation = page.getByRole('heading', { name: /say/i }).first()
    await operation.waitFor({ timeout: 30_000 })
    const text = (await page.locator('#redoc').textContent()) ?? ''
    expect(text).toContain('/actions/say-hello')
    expect(text).toContain('/actions/echo-query')
    expect(text).toContain('Greet a user!')
    expect({ outside, failed, errors }).toEqual({ outside: [], failed: [], errors: [] })
    await page.close()
  }, 60_000)
})
