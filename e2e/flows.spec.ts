import { expect, test, type Page } from '@playwright/test'
import { APP, DPOP_APP, ISSUER } from './env'
import {
  onPhone,
  readSession,
  resetStats,
  signIn,
  signInInPopup,
  stats,
  webStorageDump,
} from './helpers'
import { misbehave, respond } from './kit'

/** Starts a device login on the app page; returns the user code shown and the device code sent. */
async function startDeviceLogin(page: Page, app: string) {
  await page.goto(`${app}/`)
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  const answer = page.waitForResponse(
    (r) => r.url() === `${ISSUER}/device/auth` && r.request().method() === 'POST',
  )
  await page.click('#device-start')
  const { device_code: deviceCode } = (await (await answer).json()) as { device_code: string }
  await expect(page.locator('#device-code')).not.toBeEmpty()
  const userCode = (await page.textContent('#device-code'))!
  return { userCode, deviceCode }
}

test.describe('device login (RFC 8628)', () => {
  test('approved on another device: signed in, API call, refresh; the device code stays in memory', async ({
    page,
    context,
    browser,
  }) => {
    await resetStats()
    const { userCode, deviceCode } = await startDeviceLogin(page, APP)
    // The QR code encodes the verification link with the code filled in.
    await expect(page.locator('#device-qr svg')).toBeVisible()
    await expect(page.locator('#device-uri')).toHaveAttribute('href', `${ISSUER}/device`)

    await onPhone(browser, userCode, 'approve')
    await expect(page.locator('#status')).toHaveText('authenticated')
    await expect(page.locator('#device-status')).toHaveText('Approved: signed in.')
    await expect(page.locator('#user-name')).not.toBeEmpty()

    await page.click('#call-api')
    await expect(page.locator('#api-result')).toContainText('HTTP 200')
    const before = (await stats()).token.refresh_token
    await page.evaluate(() => window.auth.getAccessToken({ forceRefresh: true }))
    expect((await stats()).token.refresh_token).toBe(before + 1)
    await page.click('#call-api')
    await expect(page.locator('#api-result')).toContainText('HTTP 200')

    const s = await readSession(page)
    expect(s?.refreshToken).toBeTruthy()
    expect(JSON.stringify(s)).not.toContain(deviceCode)
    expect(await webStorageDump(page, context)).not.toContain(deviceCode)
    expect((await stats()).deviceSlowDown).toBe(0)
    // A local logout (the phone holds the server's session; RP logout is covered elsewhere): the
    // test then ends on this page, not in the middle of a navigation to the server.
    await page.evaluate(() => window.auth.logout({ localOnly: true }))
    await expect(page.locator('#status')).toHaveText('unauthenticated')
    // Logout clears locally first; revocation follows.
    await expect.poll(async () => (await stats()).revocation).toBeGreaterThan(0)
  })

  test('with DPoP: the session from the device is DPoP-bound and calls the API', async ({
    page,
    browser,
  }) => {
    const { userCode } = await startDeviceLogin(page, DPOP_APP)
    await onPhone(browser, userCode, 'approve')
    await expect(page.locator('#status')).toHaveText('authenticated')
    const s = await page.evaluate(
      (issuer) =>
        new Promise<{ dpop?: boolean; tokens: Record<string, { tokenType: string }> }>(
          (resolve) => {
            const req = indexedDB.open(`oauth-spa:${issuer}|demo-spa`)
            req.onsuccess = () => {
              const get = req.result
                .transaction('records', 'readonly')
                .objectStore('records')
                .get('session')
              get.onsuccess = () => resolve(get.result)
            }
          },
        ),
      ISSUER,
    )
    expect(s.dpop).toBe(true)
    expect(Object.values(s.tokens)[0]!.tokenType.toLowerCase()).toBe('dpop')
    await page.click('#call-api')
    await expect(page.locator('#api-result')).toContainText('HTTP 200')
    await page.evaluate(() => window.auth.logout({ localOnly: true }))
  })

  test('denied on the other device: access_denied, still signed out', async ({ page, browser }) => {
    const { userCode } = await startDeviceLogin(page, APP)
    const outcome = page.evaluate(
      () =>
        new Promise<string>((resolve) =>
          window.auth.on('error', ({ error }) => resolve(`${error.name}:${error.code}`)),
        ),
    )
    await onPhone(browser, userCode, 'deny')
    expect(await outcome).toBe('DeviceLoginError:access_denied')
    await expect(page.locator('#device-status')).toHaveText('Not signed in (access_denied).')
    await expect(page.locator('#status')).toHaveText('unauthenticated')
  })

  test('polling keeps to the interval and slows down by 5 s on slow_down, one poll at a time', async ({
    page,
  }) => {
    test.setTimeout(60_000)
    await resetStats()
    const polls: number[] = []
    page.on('request', (r) => {
      if (
        r.url() === `${ISSUER}/token` &&
        r.method() === 'POST' &&
        r.postData()?.includes('device_code')
      )
        polls.push(Date.now())
    })
    // The first poll is told to slow down (the server itself would only say so to an early poll).
    const slow = await misbehave(
      page,
      (u) => u.href === `${ISSUER}/token`,
      respond(400, { error: 'slow_down' }),
      { times: 1, method: 'POST' },
    )
    const started = Date.now()
    await startDeviceLogin(page, APP)
    await expect.poll(() => polls.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3)
    await page.click('#device-cancel')
    await expect(page.locator('#device-status')).toHaveText('Not signed in (aborted).')
    const count = polls.length
    expect(slow.hits).toBe(1)
    const gaps = polls.map((t, i) => t - (i ? polls[i - 1]! : started))
    // interval 1 s; after the slow_down 6 s, for every later poll too.
    expect(gaps[0]).toBeGreaterThanOrEqual(1000)
    for (const gap of gaps.slice(1)) expect(gap).toBeGreaterThanOrEqual(5900)
    // The server never had to say slow_down itself, and saw every poll but the faked one.
    const s = await stats()
    expect(s.deviceSlowDown).toBe(0)
    expect(s.token.device_code).toBe(count - 1)
    await page.waitForTimeout(2000)
    expect(polls.length).toBe(count) // cancelled: no more polls
    await slow.remove()
  })
})

test.describe('PAR (RFC 9126) required by the server for one client', () => {
  test('login, refresh, logout with pushed authorization requests', async ({ page }) => {
    await resetStats()
    await page.goto(`${APP}/?par=1`)
    await expect(page.locator('#status')).toHaveText('unauthenticated')
    const authorize = page.waitForRequest((r) => r.url().startsWith(`${ISSUER}/auth?`))
    const pushed = page.waitForRequest((r) => r.url() === `${ISSUER}/request`)
    await page.click('#login')
    expect((await pushed).postData()).toContain('code_challenge_method=S256')
    const sent = new URL((await authorize).url())
    expect([...sent.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri'])
    expect(sent.searchParams.get('client_id')).toBe('demo-spa-par')
    await signIn(page, APP, 'paula')
    await expect(page.locator('#status')).toHaveText('authenticated')
    await page.click('#call-api')
    await expect(page.locator('#api-result')).toContainText('HTTP 200')
    await page.evaluate(() => window.auth.getAccessToken({ forceRefresh: true }))
    expect((await stats()).token.refresh_token).toBe(1)
    await page.click('#logout')
    await page.waitForURL(`${ISSUER}/session/end**`)
    await page.click('button[value=yes]')
    await page.waitForURL(`${APP}/**`)
    await expect(page.locator('#status')).toHaveText('unauthenticated')
    // Logout clears locally first; revocation follows.
    await expect.poll(async () => (await stats()).revocation).toBeGreaterThan(0)
    await page.goto(`${APP}/?par=0`)
  })

  test('a popup login pushes its request too, and the popup hands the response back', async ({
    page,
  }) => {
    await resetStats()
    await page.goto(`${APP}/?par=1`)
    await expect(page.locator('#status')).toHaveText('unauthenticated')
    const pushed = page.waitForRequest((r) => r.url() === `${ISSUER}/request`)
    // The popup's own requests are the context's, not the opener page's.
    const authorize = page
      .context()
      .waitForEvent('request', (r) => r.url().startsWith(`${ISSUER}/auth?`))
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#login-popup')])
    expect((await pushed).postData()).toContain('code_challenge_method=S256')
    const sent = new URL((await authorize).url())
    expect([...sent.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri'])
    await signInInPopup(popup, 'paula')
    await expect(page.locator('#status')).toHaveText('authenticated')
    expect((await stats()).token.authorization_code).toBe(1)
    await page.click('#call-api')
    await expect(page.locator('#api-result')).toContainText('HTTP 200')
    await page.evaluate(() => window.auth.logout({ localOnly: true }))
    await page.goto(`${APP}/?par=0`)
  })
})

test.describe('popup login and Cross-Origin-Opener-Policy', () => {
  /** The server's login and consent pages send COOP: same-origin (as many providers' do). */
  const coop = (on: boolean) => fetch(`${ISSUER}/__test/coop?on=${on ? 1 : 0}`, { method: 'POST' })
  test.afterEach(() => coop(false))

  test('with COOP: the popup login completes and updates the opener', async ({ page }) => {
    await coop(true)
    await page.goto(`${APP}/`)
    await expect(page.locator('#status')).toHaveText('unauthenticated')
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#login-popup')])
    await popup.waitForURL(`${ISSUER}/interaction/**`)
    // COOP took effect: the popup is cut off from its opener.
    expect(await popup.evaluate(() => window.opener === null)).toBe(true)
    // The callback page hands the response over and closes itself.
    await signInInPopup(popup, 'paula')
    await expect(page.locator('#status')).toHaveText('authenticated')
    await page.click('#call-api')
    await expect(page.locator('#api-result')).toContainText('HTTP 200')
    await page.evaluate(() => window.auth.logout({ localOnly: true }))
  })

  test('without COOP: a popup the person closes gives popup_closed promptly', async ({ page }) => {
    await page.goto(`${APP}/`)
    await expect(page.locator('#status')).toHaveText('unauthenticated')
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#login-popup')])
    await popup.waitForURL(`${ISSUER}/interaction/**`)
    await page.waitForTimeout(300) // a person looks at the page before closing it
    const closedAt = Date.now()
    await popup.close()
    await expect(page.locator('#error')).toContainText('closed before the login finished', {
      timeout: 5000,
    })
    expect(Date.now() - closedAt).toBeLessThan(4000)
    expect(
      await page.evaluate(() => (window.auth.getState().error as { reason?: string }).reason),
    ).toBe('popup_closed')
  })

  test('with COOP: a closed popup cannot be told from a cut-off one, so the wait ends at popupTimeout', async ({
    page,
  }) => {
    await coop(true)
    await page.goto(`${APP}/?popupTimeout=4`)
    await expect(page.locator('#status')).toHaveText('unauthenticated')
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#login-popup')])
    await popup.waitForURL(`${ISSUER}/interaction/**`)
    const started = Date.now()
    await popup.close()
    await page.waitForTimeout(2000)
    await expect(page.locator('#error')).toBeHidden() // not popup_closed: it may still answer
    await expect(page.locator('#error')).toContainText('TimeoutError', { timeout: 5000 })
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000)
    expect(await page.evaluate(() => window.auth.getState().error?.code)).toBe('timeout')
  })
})
