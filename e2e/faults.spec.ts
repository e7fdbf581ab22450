import { fileURLToPath } from 'node:url'
import { expect, test, type BrowserContext, type Page } from '@playwright/test'
import { ACCESS_TOKEN_TTL, API, APP, DPOP_APP, ISSUER } from './env'
import { login, readSession, resetStats, signInInPopup, stats } from './helpers'
import { fail, hang, html, misbehave, respond } from './kit'

// Fault injection against the real servers: the network, the server, storage and the clock
// misbehave; the session survives what it should survive and recovers once the fault is gone.

/** After this long a token of the e2e servers is no longer handed out (leeway: half its life). */
const STALE_MS = (ACCESS_TOKEN_TTL / 2) * 1000 + 500

/** `getAccessToken(opts)` in the page: 'ok' or the error's `name/code`. */
const getToken = (page: Page, forceRefresh = false) =>
  page.evaluate(
    (forceRefresh) =>
      window.auth.getAccessToken({ forceRefresh }).then(
        () => 'ok',
        (e: Error & { code?: string }) => `${e.name}/${e.code}`,
      ),
    forceRefresh,
  )

const callApi = async (page: Page) => {
  await page.click('#call-api')
  await expect(page.locator('#api-result')).toContainText('HTTP 200')
  await page.evaluate(() => (document.getElementById('api-result')!.textContent = ''))
}

/** Logs in through a popup (the client fell back to memory, so it cannot survive a redirect). */
async function popupLogin(page: Page, user: string) {
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#login')])
  await signInInPopup(popup, user)
  await expect(page.locator('#status')).toHaveText('authenticated')
}

test.describe('the authorization server or the network is down', () => {
  test('server down at start-up without a session: the page works, login fails with a typed error, then recovers', async ({
    page,
  }) => {
    const down = await misbehave(page, `${ISSUER}/**`, fail('connectionrefused'))
    await page.goto(`${APP}/`)
    await expect(page.locator('#status')).toHaveText('unauthenticated')
    const err = await page.evaluate(() =>
      window.auth.login().then(
        () => 'navigated',
        (e: Error & { code?: string }) => `${e.name}/${e.code}`,
      ),
    )
    expect(err).toBe('NetworkError/network_error')
    expect(page.url()).toBe(`${APP}/`)
    await down.remove()
    await login(page, APP, 'olga')
  })

  test('offline with a valid token: the cached token is used without the network; the session is kept', async ({
    page,
    context,
  }) => {
    await login(page, APP, 'pia')
    await resetStats()
    await context.setOffline(true)
    expect(await getToken(page)).toBe('ok')
    await expect(page.locator('#status')).toHaveText('authenticated')
    await context.setOffline(false)
    await callApi(page)
    expect((await stats()).token.refresh_token).toBe(0)
  })

  test('offline with an expired token: NetworkError, the session and its refresh token are kept; online again it refreshes', async ({
    page,
    context,
  }) => {
    await login(page, APP, 'quinn')
    const before = (await readSession(page))!
    await page.waitForTimeout(STALE_MS)
    await context.setOffline(true)
    expect(await getToken(page)).toBe('NetworkError/network_error')
    await expect(page.locator('#status')).toHaveText('authenticated')
    expect((await readSession(page))!.refreshToken).toBe(before.refreshToken)
    await context.setOffline(false)
    expect(await getToken(page)).toBe('ok')
    expect((await readSession(page))!.refreshToken).not.toBe(before.refreshToken)
    await callApi(page)
  })

  for (const status of [429, 503]) {
    test(`the token endpoint answering ${status} with Retry-After: the session survives and recovers`, async ({
      page,
    }) => {
      await login(page, APP, `rita${status}`)
      const before = (await readSession(page))!
      // Answered in front of the server (nothing reaches it, so nothing is rotated there).
      const busy = await misbehave(
        page,
        `${ISSUER}/token`,
        respond(
          status,
          { error: 'temporarily_unavailable' },
          {
            'retry-after': '1',
            // Retry-After is not CORS-safelisted: a server must expose it to a browser app.
            'access-control-expose-headers': 'DPoP-Nonce, WWW-Authenticate, Retry-After',
          },
        ),
        { method: 'POST' },
      )
      expect(await getToken(page, true)).toBe('NetworkError/network_error')
      const retryAfter = await page.evaluate(
        () => (window.auth.getState().error as { retryAfter?: number } | null)?.retryAfter,
      )
      expect(retryAfter).toBe(1)
      await expect(page.locator('#status')).toHaveText('authenticated')
      expect((await readSession(page))!.refreshToken).toBe(before.refreshToken)
      expect(busy.hits).toBeGreaterThanOrEqual(1)
      // The server is back: after its Retry-After the same session refreshes.
      await busy.remove()
      await page.waitForTimeout(1200)
      await expect.poll(() => getToken(page, true), { timeout: 15_000 }).toBe('ok')
      expect((await readSession(page))!.refreshToken).not.toBe(before.refreshToken)
      await callApi(page)
    })
  }

  test('a token endpoint that hangs: the refresh fails within the timeout, the session is kept and recovers', async ({
    page,
  }) => {
    await login(page, APP, 'sven')
    const before = (await readSession(page))!
    const stuck = await misbehave(page, `${ISSUER}/token`, hang(), { method: 'POST' })
    const started = Date.now()
    expect(await getToken(page, true)).toBe('TimeoutError/timeout')
    // The default timeout is 10 s per request; generous bound for a loaded machine.
    expect(Date.now() - started).toBeLessThan(25_000)
    await expect(page.locator('#status')).toHaveText('authenticated')
    expect((await readSession(page))!.refreshToken).toBe(before.refreshToken)
    await stuck.remove()
    await expect.poll(() => getToken(page, true), { timeout: 20_000 }).toBe('ok')
    await callApi(page)
  })

  test('a refresh answer lost after the server rotated the token: the session ends cleanly, no loop', async ({
    page,
  }) => {
    await login(page, APP, 'tom')
    await resetStats()
    // The server handles the refresh (and rotates the refresh token); a proxy then answers 502.
    const spent = await misbehave(
      page,
      `${ISSUER}/token`,
      async (ctx) => {
        await ctx.upstream()
        await html(502)(ctx)
      },
      { method: 'POST', times: 1 },
    )
    expect(await getToken(page, true)).toBe('NetworkError/network_error')
    expect(spent.hits).toBe(1)
    await expect(page.locator('#status')).toHaveText('authenticated')
    // The next refresh presents the rotated-away token: the server refuses (reuse detection);
    // the session ends everywhere, with a typed error, after exactly one more request.
    await expect
      .poll(() => getToken(page, true), { timeout: 20_000 })
      .toBe('LoginRequiredError/login_required')
    await expect(page.locator('#status')).toHaveText('unauthenticated')
    expect(await readSession(page)).toBeUndefined()
    const s = await stats()
    expect(s.token.refresh_token).toBe(2)
    expect(s.refreshTokenErrors).toBe(1)
  })

  test('a reload while the token endpoint is slow: the session is valid afterwards, never half-written', async ({
    page,
  }) => {
    await login(page, APP, 'tara')
    await page.waitForTimeout(STALE_MS)
    // The refresh reaches the server (which rotates the refresh token) but the page is gone
    // before the answer arrives.
    const slow = await misbehave(
      page,
      `${ISSUER}/token`,
      async (ctx) => {
        await ctx.upstream()
        await new Promise((r) => setTimeout(r, 1500))
        await ctx.route.abort('connectionreset').catch(() => {})
      },
      { method: 'POST', times: 1 },
    )
    const pending = page
      .evaluate(() => window.auth.getAccessToken().catch(() => {}))
      .catch(() => {})
    await expect.poll(() => slow.hits).toBe(1)
    await page.reload()
    await pending
    await expect(page.locator('#status')).not.toHaveText('loading')
    // Either still usable, or cleanly ended: never a session that fails on every call.
    const outcome = await getToken(page)
    if ((await page.locator('#status').textContent()) === 'authenticated') {
      expect(outcome).toBe('ok')
      await callApi(page)
    } else {
      expect(outcome).toBe('LoginRequiredError/login_required')
      expect(await readSession(page)).toBeUndefined()
    }
  })
})

test.describe('IndexedDB', () => {
  const breakIndexedDb = (context: BrowserContext, how: 'throw' | 'quota') =>
    context.addInitScript((how) => {
      if (how === 'throw') {
        IDBFactory.prototype.open = () => {
          throw new DOMException(
            'The operation failed for reasons unrelated to the database itself',
            'UnknownError',
          )
        }
      } else {
        const fail = () => {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
        }
        IDBObjectStore.prototype.put = fail
        IDBObjectStore.prototype.add = fail
      }
    }, how)

  test('indexedDB.open throwing: memory with a reported reason, and login (in a popup) works', async ({
    context,
  }) => {
    await breakIndexedDb(context, 'throw')
    const page = await context.newPage()
    await page.goto(`${APP}/`)
    await expect(page.locator('#status')).toHaveText('unauthenticated')
    await expect(page.locator('#error')).toContainText('StorageError')
    expect(await page.evaluate(() => window.auth.getState().storage)).toMatchObject({
      type: 'memory',
      fallbackReason: expect.stringContaining('UnknownError'),
    })
    await popupLogin(page, 'uma')
    await callApi(page)
  })

  test('corrupt records in IndexedDB (session, transaction, DPoP key) are discarded cleanly; login works', async ({
    page,
  }) => {
    await login(page, DPOP_APP, 'cora')
    await page.evaluate(
      (issuer) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open(`oauth-spa:${issuer}|demo-spa`)
          open.onsuccess = () => {
            const tx = open.result.transaction('records', 'readwrite')
            const records = tx.objectStore('records')
            records.put(
              { v: 1, ns: 'x', user: 'nobody', tokens: 7, __proto__: { polluted: 1 } },
              'session',
            )
            records.put('not a key pair', 'dpop')
            records.put({ v: 9, state: 42 }, 'tx:forged')
            records.put(['garbage'], 'discovery')
            tx.oncomplete = () => resolve()
            tx.onerror = () => reject(tx.error)
          }
        }),
      ISSUER,
    )
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.reload()
    await expect(page.locator('#status')).toHaveText('unauthenticated')
    expect(
      await page.evaluate(() => (Object.prototype as Record<string, unknown>).polluted),
    ).toBeUndefined()
    expect(errors).toEqual([])
    // The forged transaction answers nothing.
    await page.goto(`${DPOP_APP}/callback?code=x&state=forged&iss=${encodeURIComponent(ISSUER)}`)
    await expect(page.locator('#error')).toContainText('CallbackError')
    // A new login (the server remembers the user: straight back) replaces the garbage.
    await page.goto(`${DPOP_APP}/`)
    await page.click('#login')
    await expect(page.locator('#status')).toHaveText('authenticated', { timeout: 20_000 })
    await callApi(page)
  })

  // When the transaction cannot be stored, the client reports it and stays (authorize.ts login()).
  test('IndexedDB over quota: the failed write is reported before leaving, and a login still works', async ({
    context,
  }) => {
    await breakIndexedDb(context, 'quota')
    const page = await context.newPage()
    await page.goto(`${APP}/`)
    await expect(page.locator('#status')).toHaveText('unauthenticated')
    // The first write (the login's transaction) fails: the client must not redirect with a
    // transaction that cannot survive the redirect.
    await page.click('#login')
    await expect(page.locator('#error')).toContainText('StorageError', { timeout: 5000 })
    expect(page.url()).toBe(`${APP}/`)
    expect(await page.evaluate(() => window.auth.getState().storage.type)).toBe('memory')
    // Logged in with a popup from here on.
    await popupLogin(page, 'vera')
    await callApi(page)
  })

  // The stored session vanished under the tab: it ends here too, visibly (refresh.ts obtain()).
  test('IndexedDB evicted while the app runs: the session goes on or ends cleanly, and login works again', async ({
    page,
    context,
  }) => {
    await login(page, APP, 'wanda')
    const cdp = await context.newCDPSession(page)
    await cdp.send('Storage.clearDataForOrigin', { origin: APP, storageTypes: 'indexeddb' })
    await page.waitForTimeout(STALE_MS)
    await page.click('#call-api')
    await expect(page.locator('#api-result')).toContainText(/HTTP 200|LoginRequiredError/)
    if ((await page.locator('#api-result').textContent())!.includes('LoginRequiredError')) {
      // Ended, and says so: not an "authenticated" page whose every call fails.
      await expect(page.locator('#status')).toHaveText('unauthenticated', { timeout: 3000 })
      // The server's session is still there: a new login comes straight back, no password.
      await page.click('#login')
      await expect(page.locator('#status')).toHaveText('authenticated', { timeout: 20_000 })
    }
    await callApi(page)
  })
})

test.describe('the device clock is 10 minutes off', () => {
  const shiftClock = (context: BrowserContext, ms: number) =>
    context.addInitScript((offset) => {
      const RealDate = Date
      class ShiftedDate extends RealDate {
        constructor(...args: unknown[]) {
          if (args.length === 0) super(RealDate.now() + offset)
          else super(...(args as [number]))
        }
        static override now() {
          return RealDate.now() + offset
        }
      }
      window.Date = ShiftedDate as DateConstructor
    }, ms)

  for (const [label, offset] of [
    ['ahead', 10 * 60_000],
    ['behind', -10 * 60_000],
  ] as const) {
    test(`${label}, Bearer: login, API call and refresh work`, async ({ context }) => {
      await shiftClock(context, offset)
      const page = await context.newPage()
      await login(page, APP, `xena-${label}`)
      await callApi(page)
      expect(await getToken(page, true)).toBe('ok')
      await callApi(page)
    })

    test(`${label}, DPoP: login, API call and refresh work`, async ({ context }) => {
      await shiftClock(context, offset)
      const page = await context.newPage()
      await login(page, DPOP_APP, `yara-${label}`)
      await callApi(page)
      expect(await getToken(page, true)).toBe('ok')
      await callApi(page)
      expect((await readSession(page))!.tokens[API]!.tokenType).toBe('dpop')
    })
  }
})

test('sleep and wake: timers that fire late refresh once, and the session is kept', async ({
  page,
}) => {
  await page.clock.install()
  await login(page, APP, 'zoe')
  // A client with automatic refresh on the same stored session (the example app has it off).
  await page.evaluate(
    async ({ issuer, api, core }) => {
      // The SDK's source, as the example's dev server serves it.
      const sdk = (await import(
        /* @vite-ignore */ `/@fs${core}`
      )) as typeof import('@oauth-spa/core')
      const auto = sdk.createAuthClient({
        issuer,
        clientId: 'demo-spa',
        redirectUri: `${location.origin}/callback`,
        scope: 'openid profile email offline_access read write',
        resource: api,
        allowedOrigins: [api],
        autoRefresh: true,
      })
      await auto.ready
      ;(window as unknown as { auto: typeof auto }).auto = auto
    },
    {
      issuer: ISSUER,
      api: API,
      core: fileURLToPath(new URL('../packages/core/src/index.ts', import.meta.url)),
    },
  )
  await resetStats()
  // The laptop sleeps for an hour: every timer is late, the access token long expired.
  await page.clock.fastForward('01:00:00')
  await expect
    .poll(async () => (await stats()).token.refresh_token, { timeout: 15_000 })
    .toBeGreaterThanOrEqual(1)
  await page.waitForTimeout(1000)
  expect((await stats()).token.refresh_token).toBeLessThanOrEqual(2)
  expect((await stats()).refreshTokenErrors).toBe(0)
  await expect(page.locator('#status')).toHaveText('authenticated')
  await callApi(page)
})
