import { expect, test, type Page } from '@playwright/test'
import { ACCESS_TOKEN_TTL, APP, ISSUER } from './env'
import { login, readSession, resetStats, signIn, stats } from './helpers'
import { authorize } from '../examples/servers/test-login.mjs'

/** The `state` of the login pending in this browser (its transaction record, read on the app origin). */
async function pendingState(page: Page): Promise<string> {
  const peek = await page.context().newPage()
  await peek.goto(`${APP}/`)
  const state = await peek.evaluate(
    (issuer) =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open(`oauth-spa:${issuer}|demo-spa`)
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const keys = open.result.transaction('records').objectStore('records').getAllKeys()
          keys.onsuccess = () => {
            const key = keys.result.map(String).find((k) => k.startsWith('tx:'))
            return key ? resolve(key.slice(3)) : reject(new Error('no pending login'))
          }
        }
      }),
    ISSUER,
  )
  await peek.close()
  return state
}

/** An authorization code the attacker obtained for their own account (own PKCE, own state). */
async function attackerCode(): Promise<string> {
  const { code } = await authorize({
    issuer: ISSUER,
    redirectUri: `${APP}/callback`,
    login: 'mallory',
  })
  if (!code) throw new Error('the authorization server gave the attacker no code')
  return code
}

test('a forged callback (unknown state) is refused: typed error, no token request, URL cleaned', async ({
  page,
}) => {
  await page.goto(`${APP}/`)
  const code = await attackerCode()
  await resetStats()
  await page.goto(
    `${APP}/callback?code=${code}&state=forged-state&iss=${encodeURIComponent(ISSUER)}`,
  )
  await expect(page.locator('#error')).toContainText('CallbackError')
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  expect((await stats()).token.authorization_code).toBe(0)
  expect(new URL(page.url()).search).toBe('')
})

test("an injected code with the victim's real state fails at the server (PKCE), nothing stored", async ({
  page,
}) => {
  await page.goto(`${APP}/`)
  await page.click('#login')
  await page.waitForURL(`${ISSUER}/interaction/**`)
  const victimState = await pendingState(page)
  expect(victimState).toBeTruthy()
  const code = await attackerCode()
  await page.goto(
    `${APP}/callback?code=${code}&state=${victimState}&iss=${encodeURIComponent(ISSUER)}`,
  )
  await expect(page.locator('#error')).toContainText('OAuthError')
  await expect(page.locator('#error')).toContainText('invalid_grant')
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  expect(await readSession(page)).toBeUndefined()
})

test('a wrong iss in the callback (mix-up) is refused before any token request', async ({
  page,
}) => {
  await page.goto(`${APP}/`)
  await page.click('#login')
  await page.waitForURL(`${ISSUER}/interaction/**`)
  await resetStats()
  const code = await attackerCode()
  // A real pending state, but the response claims to come from another server.
  const pending = await pendingState(page)
  await page.goto(
    `${APP}/callback?code=${code}&state=${pending}&iss=${encodeURIComponent('https://evil.example')}`,
  )
  await expect(page.locator('#error')).toContainText('CallbackError')
  expect((await stats()).token.authorization_code).toBe(0)
})

test('the authorization server down at start-up: the stored session survives and is kept', async ({
  page,
}) => {
  await login(page, APP, 'nina')
  const before = await readSession(page)
  await page.route(`${ISSUER}/**`, (route) => route.abort('connectionrefused'))
  await page.reload()
  await expect(page.locator('#status')).toHaveText('authenticated')
  // Once the token is stale the refresh cannot reach the server: a NetworkError, session kept.
  await page.waitForTimeout((ACCESS_TOKEN_TTL / 2) * 1000 + 500)
  const error = await page.evaluate(() =>
    window.auth.getAccessToken().then(
      () => 'no error',
      (e: Error & { code?: string }) => `${e.name}/${e.code}`,
    ),
  )
  expect(error).toBe('NetworkError/network_error')
  await expect(page.locator('#status')).toHaveText('authenticated')
  expect((await readSession(page))!.refreshToken).toBe(before!.refreshToken)
  // The server is back: once the backoff window (5 s after a first network failure) is over, the
  // same session refreshes. Inside the window calls are answered at once, with nothing sent.
  await page.unroute(`${ISSUER}/**`)
  await page.waitForTimeout(5500)
  await page.click('#call-api')
  await expect(page.locator('#api-result')).toContainText('HTTP 200')
})

test('an HTML error page from the token endpoint at code exchange: typed error, nothing stored', async ({
  page,
}) => {
  await page.route(`${ISSUER}/token`, (route) =>
    route.fulfill({
      status: 502,
      contentType: 'text/html',
      body: '<html><h1>Bad gateway</h1></html>',
    }),
  )
  await page.goto(`${APP}/`)
  await page.click('#login')
  await signIn(page, APP, 'oscar')
  await expect(page.locator('#error')).toContainText('NetworkError')
  await expect(page.locator('#error')).toContainText('502')
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  expect(await readSession(page)).toBeUndefined()
  // The error shown is text: the server's HTML was not rendered.
  expect(await page.locator('#error h1').count()).toBe(0)
})
