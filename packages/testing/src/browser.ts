import { existsSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'

export type { Browser, Page } from 'playwright-core'

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

/**
 * Debian's chromium, driven by playwright-core (its own browser download cannot work on these
 * machines). Where the browser is required (CI sets SERVEY_REQUIRE_BROWSER=1) a missing one
 * fails the run instead of skipping silently.
 */
export const browserAvailable = existsSync(CHROMIUM)
export const browserRequired =
  process.env['SERVEY_REQUIRE_BROWSER'] === '1' || process.env['CI'] === 'true'

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // No network beyond loopback here: background services would only log failures.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  })
}

/** True where browser tests skip: no chromium here, and none required. */
export const browserTestsSkipped = !browserAvailable && !browserRequired

/** A server a browser test can open: a Fastify instance qualifies. */
export interface ListeningServer {
  listen(options: { port: number; host: string }): Promise<string>
  close(): Promise<unknown>
}

/** The browser and the server's base URL of one `describe` block. */
export interface BrowserSession {
  readonly browser: Browser
  readonly base: string
}

/**
 * Starts the server on a free loopback port and launches chromium before the block's tests,
 * closes both after them. The getters read the session once `beforeAll` has run.
 */
export function useBrowserSession(start: () => Promise<ListeningServer>): BrowserSession {
  let server: ListeningServer | undefined
  let browser: Browser | undefined
  let base: string | undefined
  beforeAll(async () => {
    server = await start()
    base = await server.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser()
  }, 30_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })
  return {
    get browser() {
      if (browser === undefined) throw new Error('the browser session starts in beforeAll')
      return browser
    },
    get base() {
      if (base === undefined) throw new Error('the browser session starts in beforeAll')
      return base
    },
  }
}

/**
 * Collects the URL of every request and websocket the page opens beyond `base` (data: and
 * blob: URLs stay in the page). A docs page that works offline leaves this list empty.
 */
export function recordRequestsElsewhere(page: Page, base: string): string[] {
  const elsewhere: string[] = []
  const local = (url: string) =>
    url.startsWith(base) ||
    url.startsWith(base.replace(/^http/, 'ws')) ||
    url.startsWith('data:') ||
    url.startsWith('blob:')
  page.on('request', (request) => {
    if (!local(request.url())) elsewhere.push(request.url())
  })
  page.on('websocket', (socket) => {
    if (!local(socket.url())) elsewhere.push(socket.url())
  })
  return elsewhere
}
