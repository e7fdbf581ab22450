import { expect, test } from '@playwright/test'
import { APP } from './env'
import { signInInPopup, webStorageDump } from './helpers'

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
  // The opener reads the response from the popup's URL and closes it.
  await signInInPopup(popup, 'paula')
  await expect(page.locator('#status')).toHaveText('authenticated')
  await expect(page.locator('#user-name')).toHaveText('Paula Example')
  expect(page.url()).toBe(`${APP}/`) // the app page never left

  await page.click('#call-api')
  await expect(page.locator('#api-result')).toContainText('HTTP 200')
  const token = await page.evaluate(() => window.auth.getAccessToken())
  expect(await webStorageDump(page, context)).not.toContain(token)
})
