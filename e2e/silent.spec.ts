import { expect, test } from '@playwright/test'
import { ACCESS_TOKEN_TTL, API, APP, ISSUER } from './env'
import { login, readSession, resetStats, stats } from './helpers'

test('without a refresh token, the token is renewed by prompt=none in a hidden iframe', async ({
  page,
}) => {
  await login(page, APP, 'jane')
  // Make the stored session look like one from a server that issues no refresh tokens.
  await page.evaluate(
    (issuer) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(`oauth-spa:${issuer}|demo-spa`)
        open.onsuccess = () => {
          const records = open.result.transaction('records', 'readwrite').objectStore('records')
          const get = records.get('session')
          get.onsuccess = () => {
            const put = records.put({ ...get.result, refreshToken: undefined }, 'session')
            put.onsuccess = () => resolve()
            put.onerror = () => reject(put.error)
          }
        }
      }),
    ISSUER,
  )
  await page.reload()
  await expect(page.locator('#status')).toHaveText('authenticated')
  const before = (await readSession(page))!.tokens[API]!.accessToken
  await page.waitForTimeout((ACCESS_TOKEN_TTL / 2) * 1000 + 500)
  await resetStats()

  const frames: string[] = []
  page.on('request', (r) => r.frame() !== page.mainFrame() && frames.push(r.url()))
  const renewed = await page.evaluate(() => window.auth.getAccessToken())
  expect(renewed).not.toBe(before)
  expect((await stats()).token).toEqual({ authorization_code: 1, refresh_token: 0, device_code: 0 })
  expect(frames.some((u) => u.startsWith(`${ISSUER}/auth?`) && u.includes('prompt=none'))).toBe(
    true,
  )
  // The iframe is gone and the app still works with the renewed token.
  expect(await page.locator('iframe').count()).toBe(0)
  await page.click('#call-api')
  await expect(page.locator('#api-result')).toContainText('HTTP 200')
})
