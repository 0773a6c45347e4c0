import { browserTestsSkipped, useBrowserSession } from '@servey/testing'
import { describe, expect, it } from 'vitest'
import { buildSecureApp, DEV_PASSWORD } from './test-secure-app.ts'

describe.skipIf(browserTestsSkipped)('Swagger UI Authorize in headless chromium', () => {
  const session = useBrowserSession(() => buildSecureApp())

  it('logs in with the password flow, then only_for_root answers 200', async () => {
    const page = await session.browser.newPage()
    await page.goto(`${session.base}/docs`)
    const operation = page.locator('#operations-actions-onlyForRoot')
    await operation.waitFor({ timeout: 15_000 })

    // Before logging in the action refuses.
    await operation.locator('.opblock-summary').click()
    await operation.getByRole('button', { name: 'Try it out' }).click()
    await operation.getByRole('button', { name: 'Execute' }).click()
    const status = operation.locator('.live-responses-table .response .response-col_status').first()
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('401')

    await page.locator('.auth-wrapper .authorize').click()
    const oauth = page.locator('.auth-container', { hasText: 'oauth2Password' })
    await oauth.locator('#oauth_username').fill('ada')
    await oauth.locator('#oauth_password').fill(DEV_PASSWORD)
    await oauth.locator('label[for="root-password-checkbox-oauth2Password"]').click()
    await oauth.locator('button.authorize').click()
    await expect.poll(() => oauth.textContent(), { timeout: 10_000 }).toContain('Logout')
    await page.locator('.modal-ux .close-modal').click()

    await operation.getByRole('button', { name: 'Execute' }).click()
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('200')
    const body = operation.locator('.live-responses-table .response-col_description pre').first()
    expect(await body.textContent()).toContain('Some Secret Data!')
    await page.close()
  }, 60_000)
})
