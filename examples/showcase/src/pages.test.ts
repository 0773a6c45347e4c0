import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createInvoker, createRegistry } from '@servey/core'
import { createServer } from '@servey/rest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as actions from './actions/index.ts'

const appDir = fileURLToPath(new URL('../', import.meta.url))

// Debian's chromium, as the REST package's browser tests use it; here without playwright: the
// page needs no interaction, and `--dump-dom` prints the DOM chromium rendered. Where the
// browser is required (CI) a missing one fails instead of skipping.
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
const browserRequired =
  process.env['SERVEY_REQUIRE_BROWSER'] === '1' || process.env['CI'] === 'true'
const run = promisify(execFile)

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

  it.skipIf(!existsSync(CHROMIUM) && !browserRequired)(
    'shows the time in headless chromium',
    async () => {
      await app.listen({ port: 0, host: '127.0.0.1' })
      const { port } = app.server.address() as { port: number }
      const { stdout } = await run(
        CHROMIUM,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--no-first-run',
          '--dump-dom',
          `http://127.0.0.1:${port}/current-time-page`,
        ],
        { timeout: 30_000 },
      )
      expect(stdout).toContain('<title>Current time</title>')
      const shown = new RegExp(`<p id="current-time">${TIME.source}</p>`).exec(stdout)?.[1]
      expect(Math.abs(Date.parse(shown as string) - Date.now())).toBeLessThan(60_000)
    },
    40_000,
  )
})
