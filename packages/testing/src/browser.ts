import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

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
