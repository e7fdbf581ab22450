import { expect, test } from '@playwright/test'
import { APP, ISSUER } from './env'
import { webStorageDump } from './helpers'

test('without IndexedDB the client falls back to memory and logs in through a popup', async ({
  context,
}) => {
  // A browser where IndexedDB is unavailable (disabled, or a private mode that lacks it).
  await context.addInitScript(() => {
    Object.defineProperty(window, 'indexedDB', { get: () => undefined, configurable: true })
  })
  const page = await context.newPage()
  await page.goto(`${APP}/`)
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  await expect(page.locator('#error')).toContainText('StorageError')
  expect(await page.evaluate(() => window.auth.getState().storage)).toMatchObject({
    type: 'memory',
  })

  const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#login')])
  await popup.waitForURL(`${ISSUER}/interaction/**`)
  await popup.fill('input[name=login]', 'paula')
  await popup.fill('input[name=password]', 'any-password')
  await popup.click('button[type=submit]')
  // The opener reads the response from the popup's URL and closes it.
  const closed = popup.waitForEvent('close')
  await popup.getByRole('button', { name: /continue/i }).click()
  await closed
  await expect(page.locator('#status')).toHaveText('authenticated')
  await expect(page.locator('#user-name')).toHaveText('Paula Example')
  expect(page.url()).toBe(`${APP}/`) // the app page never left

  await page.click('#call-api')
  await expect(page.locator('#api-result')).toContainText('HTTP 200')
  const token = await page.evaluate(() => window.auth.getAccessToken())
  expect(await webStorageDump(page, context)).not.toContain(token)
})
