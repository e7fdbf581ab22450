import { expect, test } from '@playwright/test'
import { ACCESS_TOKEN_TTL, APP, ISSUER } from './env'
import { login, readSession } from './helpers'

// The session owner against the real servers (issue 7): logout clears locally before anything
// can wait, and a server in trouble gets no refresh storm from a polling UI.

test('logout with a revocation endpoint that hangs: nothing stored at once, the other tab out within 1 s', async ({
  context,
}) => {
  const a = await context.newPage()
  await login(a, APP, 'hank')
  const b = await context.newPage()
  await b.goto(`${APP}/`)
  await expect(b.locator('#status')).toHaveText('authenticated')
  expect((await readSession(a))?.refreshToken).toBeTruthy()

  // Revocation never answers (a slow or dead server).
  await context.route(`${ISSUER}/token/revocation`, () => {})
  const started = Date.now()
  await a.evaluate(() => void window.auth.logout())
  await expect(b.locator('#status')).toHaveText('unauthenticated', { timeout: 1000 })
  expect(Date.now() - started).toBeLessThan(1500)
  await expect(a.locator('#status')).toHaveText('unauthenticated')
  expect(await readSession(a)).toBeUndefined()
  expect(await readSession(b)).toBeUndefined()
  // This tab hands out nothing while revocation still hangs.
  const err = await a.evaluate(() =>
    window.auth.getAccessToken().then(
      () => 'token',
      (e: { code?: string }) => e.code,
    ),
  )
  expect(err).toBe('login_required')
})

test('the token endpoint answering 503 Retry-After: 5 to a UI polling 4×/s: at most 2 refreshes, the session survives and recovers', async ({
  page,
}) => {
  await login(page, APP, 'ivy')
  let refreshes = 0
  await page.route(`${ISSUER}/token`, async (route) => {
    const body = route.request().postData() ?? ''
    if (!body.includes('grant_type=refresh_token')) return route.continue()
    refreshes++
    await route.fulfill({
      status: 503,
      headers: {
        'retry-after': '5',
        'access-control-allow-origin': APP,
        'access-control-expose-headers': 'Retry-After',
        'content-type': 'text/plain',
      },
      body: 'down for maintenance',
    })
  })
  // Past the point where the SDK stops handing out the token (half its lifetime).
  await page.waitForTimeout((ACCESS_TOKEN_TTL / 2) * 1000 + 500)

  const outcomes = await page.evaluate(async () => {
    const seen: string[] = []
    for (let i = 0; i < 16; i++) {
      seen.push(
        await window.auth.getAccessToken().then(
          () => 'token',
          (e: { code?: string; status?: number }) => `${e.code}:${e.status}`,
        ),
      )
      await new Promise((r) => setTimeout(r, 250))
    }
    return seen
  })
  expect(refreshes).toBeLessThanOrEqual(2)
  expect(new Set(outcomes)).toEqual(new Set(['network_error:503']))
  await expect(page.locator('#status')).toHaveText('authenticated')

  // The server is back: after the window, the next call refreshes and works.
  await page.unroute(`${ISSUER}/token`)
  await page.waitForTimeout(1500)
  const token = await page.evaluate(() => window.auth.getAccessToken())
  expect(token).toBeTruthy()
  await page.click('#call-api')
  await expect(page.locator('#api-result')).toContainText('HTTP 200')
})
