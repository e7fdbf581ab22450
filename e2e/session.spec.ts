import { expect, test, type Page } from '@playwright/test'
import { ACCESS_TOKEN_TTL, API, APP, ISSUER } from './env'
import { login, readSession, resetStats, stats } from './helpers'

const token = (page: Page) => page.evaluate(() => window.auth.getAccessToken())

test('three tabs with an expired token refresh once between them', async ({ context }) => {
  const first = await context.newPage()
  await login(first, APP, 'dave')
  const tabs = [first, await context.newPage(), await context.newPage()]
  for (const tab of tabs.slice(1)) {
    await tab.goto(`${APP}/`)
    await expect(tab.locator('#status')).toHaveText('authenticated')
  }
  const before = (await readSession(first))!.tokens[API]!.accessToken
  // The SDK stops handing out a token half its lifetime before expiry (leeway capped at 50%).
  await first.waitForTimeout((ACCESS_TOKEN_TTL / 2) * 1000 + 500)
  await resetStats()

  const tokens = await Promise.all(tabs.map(token))
  expect((await stats()).token.refresh_token).toBe(1)
  expect(new Set(tokens).size).toBe(1)
  expect(tokens[0]).not.toBe(before)

  // Each tab's token works at the API.
  for (const tab of tabs) {
    await tab.click('#call-api')
    await expect(tab.locator('#api-result')).toContainText('HTTP 200')
  }
  expect((await stats()).token.refresh_token).toBe(1)
})

test('logout in one tab ends the session in the others and revokes the refresh token', async ({
  context,
}) => {
  const a = await context.newPage()
  await login(a, APP, 'erin')
  const b = await context.newPage()
  await b.goto(`${APP}/`)
  await expect(b.locator('#status')).toHaveText('authenticated')
  const { refreshToken } = (await readSession(a))!

  await resetStats()
  await a.evaluate(() => window.auth.logout({ localOnly: true }))
  await expect(b.locator('#status')).toHaveText('unauthenticated', { timeout: 1000 })
  await expect(a.locator('#status')).toHaveText('unauthenticated')
  // Logout clears locally first; revocation follows.
  await expect.poll(async () => (await stats()).revocation).toBeGreaterThanOrEqual(1)
  expect(await readSession(a)).toBeUndefined()

  // The server no longer honours the old refresh token.
  const res = await fetch(`${ISSUER}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken!,
      client_id: 'demo-spa',
    }),
  })
  expect(res.status).toBe(400)
  expect((await res.json()).error).toBe('invalid_grant')
})

test('logout with RP-initiated logout lands back on the app, logged out at the server too', async ({
  page,
}) => {
  await login(page, APP, 'frank')
  await page.click('#logout')
  await page.waitForURL(`${ISSUER}/session/end**`)
  await page.click('button[value=yes]')
  await page.waitForURL(`${APP}/**`)
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  // The server session is gone: logging in again shows the login page.
  await page.click('#login')
  await page.waitForURL(`${ISSUER}/interaction/**`)
  await expect(page.locator('input[name=login]')).toBeVisible()
})
