import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test'
import { ISSUER } from './env'

/** Logs in through the real authorization server's login and consent pages. */
export async function login(page: Page, app: string, user = 'alice') {
  await page.goto(`${app}/`)
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  await page.click('#login')
  await signIn(page, app, user)
  await page.waitForURL(`${app}/**`)
  await expect(page.locator('#status')).toHaveText('authenticated')
}

/** On the server's login page: signs in and gives consent when asked; returns when back on the app. */
export async function signIn(page: Page, app: string, user: string) {
  await page.waitForURL(`${ISSUER}/interaction/**`)
  await page.fill('input[name=login]', user)
  await page.fill('input[name=password]', 'any-password')
  await page.click('button[type=submit]')
  await page.waitForURL((url) => url.origin === app || url.pathname.startsWith('/interaction/'))
  if (new URL(page.url()).origin !== app) {
    await page.getByRole('button', { name: /continue/i }).click()
    await page.waitForURL((url) => url.origin === app)
  }
}

/**
 * The person's phone: a browser of its own (no session at the server) that opens the
 * verification page, enters the code, signs in, gives consent, and approves or aborts.
 */
export async function onPhone(browser: Browser, userCode: string, decision: 'approve' | 'deny') {
  const phone = await browser.newContext()
  const page = await phone.newPage()
  try {
    await page.goto(`${ISSUER}/device`)
    await page.fill('input[name=user_code]', userCode)
    await page.getByRole('button', { name: /continue/i }).click()
    // "Confirm Device": the code shown on the device, Continue or Abort.
    await expect(page.getByRole('heading', { name: 'Confirm Device' })).toBeVisible()
    if (decision === 'deny') {
      await page.getByRole('button', { name: /abort/i }).click()
      await page.waitForLoadState()
      return await page.textContent('body')
    }
    await page.getByRole('button', { name: /continue/i }).click()
    await page.waitForURL(`${ISSUER}/interaction/**`)
    await page.fill('input[name=login]', 'dora')
    await page.fill('input[name=password]', 'any-password')
    await page.click('button[type=submit]')
    await page.getByRole('button', { name: /continue/i }).click() // consent
    await expect(page.getByRole('heading', { name: 'Sign-in Success' })).toBeVisible()
    return await page.textContent('body')
  } finally {
    await phone.close()
  }
}

export interface Stats {
  token: { authorization_code: number; refresh_token: number; device_code: number }
  revocation: number
  refreshTokenErrors: number
  deviceSlowDown: number
}
export const stats = async (): Promise<Stats> => (await fetch(`${ISSUER}/__test/stats`)).json()
export const resetStats = () => fetch(`${ISSUER}/__test/reset`, { method: 'POST' })

/** The SDK's stored session record, read from the page's IndexedDB (test-only inspection). */
export function readSession(
  page: Page,
  clientId = 'demo-spa',
): Promise<
  | { refreshToken?: string; tokens: Record<string, { accessToken: string; tokenType: string }> }
  | undefined
> {
  return page.evaluate(
    ([issuer, clientId]) =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open(`oauth-spa:${issuer}|${clientId}`)
        req.onerror = () => reject(req.error)
        req.onsuccess = () => {
          const tx = req.result.transaction('records', 'readonly')
          const get = tx.objectStore('records').get('session')
          get.onsuccess = () => resolve(get.result)
          get.onerror = () => reject(get.error)
        }
      }),
    [ISSUER, clientId] as const,
  )
}

/** Everything web storage and cookies hold for the app origin, as one string to search. */
export async function webStorageDump(page: Page, context: BrowserContext): Promise<string> {
  const inPage = await page.evaluate(() =>
    JSON.stringify({
      local: { ...localStorage },
      session: { ...sessionStorage },
      cookie: document.cookie,
      url: location.href,
    }),
  )
  const cookies = JSON.stringify(await context.cookies(page.url()))
  return inPage + cookies
}

/**
 * The example app's "log in on another device" screen (React and Vue share its ids): the code,
 * the link and its QR code on the page, approved on a phone, then the API with the new session.
 */
export async function deviceLoginOnExample(page: Page, browser: Browser, app: string) {
  await page.goto(`${app}/`)
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  await resetStats()
  await page.click('#device-start')
  await expect(page.locator('#device-code')).not.toBeEmpty()
  const userCode = (await page.textContent('#device-code'))!
  await expect(page.locator('#device-uri')).toHaveAttribute('href', `${ISSUER}/device`)
  await expect(page.locator('#device-uri')).toHaveText(`${ISSUER}/device`)
  await expect(page.locator('#device-expires')).not.toBeEmpty()
  // The QR code of the link with the code filled in: SVG elements, one path of dark modules.
  const qr = page.locator('#device-qr svg[role=img]')
  await expect(qr).toBeVisible()
  await expect(qr.locator('path')).toHaveAttribute('d', /^(M\d+ \d+h1v1h-1z)+$/)
  await expect(page.locator('#device-start')).toHaveCount(0)

  await onPhone(browser, userCode, 'approve')
  await expect(page.locator('#status')).toHaveText('authenticated')
  await expect(page.locator('#device-status')).toHaveText('Approved: signed in.')
  await expect(page.locator('#user-name')).toHaveText('Dora Example')
  await expect(page.locator('#device-code')).toHaveCount(0)
  // Signed in by polling with the device code (every poll counts), no redirect login.
  const { token } = await stats()
  expect(token.authorization_code).toBe(0)
  expect(token.device_code).toBeGreaterThan(0)

  await page.click('#call-api')
  await expect(page.locator('#api-result')).toContainText('HTTP 200')
  const answer = JSON.parse(
    (await page.locator('#api-result').textContent())!.split('\n').slice(1).join('\n'),
  )
  expect(answer).toMatchObject({ sub: 'dora', tokenType: 'Bearer' })
  await page.evaluate(() => window.auth.logout({ localOnly: true }))
  await expect(page.locator('#device-start')).toBeVisible()
}

/** Makes the stored session look like one from a server that issues no refresh tokens. */
export const dropRefreshToken = (page: Page, clientId = 'demo-spa') =>
  page.evaluate(
    ([issuer, clientId]) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(`oauth-spa:${issuer}|${clientId}`)
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
    [ISSUER, clientId] as const,
  )

/** In a login popup: signs in on the server's page, consents, and waits for the popup to close. */
export async function signInInPopup(popup: Page, user: string) {
  await popup.waitForURL(`${ISSUER}/interaction/**`)
  await popup.fill('input[name=login]', user)
  await popup.fill('input[name=password]', 'any-password')
  await popup.click('button[type=submit]')
  const closed = popup.waitForEvent('close')
  await popup.getByRole('button', { name: /continue/i }).click()
  await closed
}
