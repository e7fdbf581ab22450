import { expect, test, type Locator, type Page } from '@playwright/test'
import { API, APP, DPOP_APP, ISSUER } from './env'
import { login, onPhone, readSession } from './helpers'
import { misbehave, respond } from './kit'

// The demo's walkthrough panel (examples/vanilla): every step of the flow shown as it happens,
// every secret masked — in the panel and in the sessionStorage copy that survives the redirect.

/** Collects every secret that crosses the wire: tokens, codes, verifiers, nonces, DPoP proofs. */
function collectSecrets(page: Page): Set<string> {
  const secrets = new Set<string>()
  const keep = (value: string | null | undefined) => {
    if (value && value.length > 8) secrets.add(value)
  }
  page.on('request', (req) => {
    const url = new URL(req.url())
    for (const name of ['code', 'nonce', 'id_token_hint']) keep(url.searchParams.get(name))
    const body = new URLSearchParams(req.postData() ?? '')
    for (const name of ['code', 'code_verifier', 'refresh_token', 'token', 'device_code']) {
      keep(body.get(name))
    }
    const headers = req.headers()
    keep(headers.dpop)
    keep(headers.authorization?.split(' ')[1])
  })
  page.on('response', async (res) => {
    const endpoint = [`${ISSUER}/token`, `${ISSUER}/device/auth`].some((e) => res.url() === e)
    if (!endpoint || res.request().method() !== 'POST') return
    try {
      const body = (await res.json()) as Record<string, unknown>
      for (const name of ['access_token', 'refresh_token', 'id_token', 'device_code']) {
        keep(body[name] as string)
      }
    } catch {
      // preflight or empty body
    }
  })
  return secrets
}

const step = (panel: Locator, kind: string) => panel.locator(`li[data-kind="${kind}"]`)

/** dt → dd text of a step's rows. */
const rowsOf = async (item: Locator) =>
  item
    .locator('.step-rows')
    .first()
    .evaluate((dl) => {
      const out: Record<string, string> = {}
      const dts = dl.querySelectorAll('dt')
      for (const dt of dts) out[dt.textContent ?? ''] = dt.nextElementSibling?.textContent ?? ''
      return out
    })

async function expectNoSecret(page: Page, secrets: Set<string>, atLeast = 6) {
  // textContent: closed <details> (claims of refreshed tokens) count too
  const panel = (await page.locator('#walkthrough').textContent()) ?? ''
  const storage = await page.evaluate(() =>
    JSON.stringify({ session: { ...sessionStorage }, local: { ...localStorage } }),
  )
  expect(secrets.size).toBeGreaterThanOrEqual(atLeast)
  for (const secret of secrets) {
    expect(panel, 'a secret in the panel').not.toContain(secret)
    expect(storage, 'a secret in web storage').not.toContain(secret)
  }
}

for (const [name, app, scheme] of [
  ['Bearer', APP, 'Bearer'],
  ['DPoP', DPOP_APP, 'DPoP'],
] as const) {
  test(`walkthrough (${name}): authorization request, callback, tokens, API call, refresh and logout, secrets masked`, async ({
    page,
  }) => {
    const secrets = collectSecrets(page)
    const consoleText: string[] = []
    page.on('console', (msg) => consoleText.push(msg.text()))
    const panel = page.locator('#walkthrough')

    await login(page, app, 'wendy')

    // 1. The authorization request, observed before the page left for the server.
    const authorize = step(panel, 'authorize')
    await expect(authorize).toHaveCount(1)
    const req = await rowsOf(authorize)
    expect(req).toMatchObject({
      client_id: 'demo-spa',
      redirect_uri: `${app}/callback`,
      code_challenge_method: 'S256',
      response_type: 'code',
    })
    // resource is repeated: the default API and the other allowed one (RFC 8707)
    await expect(authorize.locator('dt', { hasText: /^resource$/ })).not.toHaveCount(0)
    await expect(authorize.locator('dd', { hasText: new RegExp(`^${API}$`) })).toHaveCount(1)
    expect(req.scope).toContain('openid')
    expect(req.state).toMatch(/^[\w-]{22,}$/)
    expect(req.code_challenge).toMatch(/^[\w-]{43}$/)
    expect(req.nonce).toMatch(/^.{6}… \(\d+ chars\)$/)

    // 2. The callback: the same state, the issuer (RFC 9207), the code masked.
    const callback = await rowsOf(step(panel, 'callback'))
    expect(callback.state).toBe(req.state)
    expect(callback.iss).toBe(ISSUER)
    expect(callback.code).toMatch(/^.{6}… \(\d+ chars\)$/)

    // 3. The token response: type, scope, expiry, tokens masked, the ID token's claims decoded.
    const token = step(panel, 'token').last()
    await expect(token.locator('.step-outcome')).toHaveText(/^200 · \d+ ms$/)
    const tokenRows = await rowsOf(token)
    expect(tokenRows['← token_type']).toBe(scheme)
    expect(tokenRows['← scope']).toContain('read')
    expect(tokenRows['← expires_in']).toMatch(/^\d+ s \(until \d\d:\d\d:\d\d\)$/)
    for (const t of ['← access_token', '← refresh_token', '← id_token', 'code', 'code_verifier']) {
      expect(tokenRows[t]).toMatch(/^.{6}… \(\d+ chars\)$/)
    }
    const idClaims = token.locator('.step-claims', { hasText: 'ID token claims' })
    await expect(idClaims).toContainText('wendy')
    await expect(idClaims).toContainText(ISSUER)
    if (scheme === 'DPoP') expect(tokenRows.DPoP).toMatch(/^.{6}… \(\d+ chars\)$/)
    await expect(step(panel, 'event').filter({ hasText: 'Logged in' })).toHaveCount(1)

    // 4. An API call with its (masked) Authorization and DPoP headers and the answer.
    await page.click('#call-api')
    await expect(page.locator('#api-result')).toContainText('HTTP 200')
    const api = step(panel, 'api').filter({ hasText: '/api/user-profile' })
    await expect(api.last().locator('.step-outcome')).toHaveText(/^200 · \d+ ms$/)
    const apiRows = await rowsOf(api.last())
    expect(apiRows.Authorization).toMatch(new RegExp(`^${scheme} .{6}… \\(\\d+ chars\\)$`))
    if (scheme === 'DPoP') {
      expect(apiRows.DPoP).toMatch(/^.{6}… \(\d+ chars\)$/)
      expect(apiRows['DPoP proof htm']).toBe('GET')
      expect(apiRows['DPoP proof htu']).toBe(`${API}/api/user-profile`)
      // The API demands nonces: the first attempt was answered use_dpop_nonce, then retried.
      await expect(api.first().locator('.step-outcome')).toHaveText(/^401 · \d+ ms$/)
      await expect(api.first()).toContainText('use_dpop_nonce')
    }

    // 5. A refresh, with its time and the rotated refresh token masked.
    expect(
      await page.evaluate(() =>
        window.auth.getAccessToken({ forceRefresh: true }).then(() => 'ok'),
      ),
    ).toBe('ok')
    const refresh = step(panel, 'refresh').last()
    await expect(refresh.locator('.step-outcome')).toHaveText(/^200 · \d+ ms$/)
    const refreshRows = await rowsOf(refresh)
    expect(refreshRows.grant_type).toBe('refresh_token')
    expect(refreshRows.refresh_token).toMatch(/^.{6}… \(\d+ chars\)$/)
    expect(refreshRows['← refresh_token']).toMatch(/^.{6}… \(\d+ chars\)$/)
    await expect(refresh.locator('.step-time')).toHaveText(/^\d\d:\d\d:\d\d$/)
    await expect(step(panel, 'event').filter({ hasText: 'Token refreshed' })).toHaveCount(1)

    // The secrets the SDK holds right now (IndexedDB), besides those seen on the wire.
    const session = await readSession(page)
    secrets.add(session!.refreshToken!)
    secrets.add(session!.tokens[API]!.accessToken)
    await expectNoSecret(page, secrets)

    // 6. Logout: revocation, then RP-initiated logout; the panel comes back with the app.
    await page.click('#logout')
    await page.waitForURL(`${ISSUER}/session/end**`)
    await page.click('button[value=yes]')
    await page.waitForURL(`${app}/**`)
    await expect(page.locator('#status')).toHaveText('unauthenticated')
    const revoke = step(panel, 'revoke').first()
    await expect(revoke.locator('.step-outcome')).toHaveText(/^200 · \d+ ms$/)
    expect((await rowsOf(revoke)).token).toMatch(/^.{6}… \(\d+ chars\)$/)
    const logout = await rowsOf(step(panel, 'logout').last())
    expect(logout.post_logout_redirect_uri).toBe(`${app}/`)
    expect(logout.id_token_hint).toMatch(/^.{6}… \(\d+ chars\)$/)
    // Still every step, in order, after two full-page navigations.
    const kinds = await panel
      .locator('li[data-kind]')
      .evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.kind))
    const order = ['authorize', 'callback', 'token', 'api', 'refresh', 'revoke', 'logout']
    expect(order.map((k) => kinds.indexOf(k))).toEqual(
      [...order.map((k) => kinds.indexOf(k))].sort((a, b) => a - b),
    )
    expect(kinds).not.toContain(undefined)

    await expectNoSecret(page, secrets)
    for (const secret of secrets) expect(consoleText.join('\n')).not.toContain(secret)
  })
}

test('walkthrough: DPoP can be switched while logged out, and the panel wraps on a phone screen', async ({
  page,
}) => {
  await page.setViewportSize({ width: 360, height: 740 })
  await page.goto(`${APP}/`)
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  await expect(page.locator('#walkthrough-mode')).toHaveText('Bearer tokens')
  await page.click('#toggle-dpop')
  await page.waitForURL(`${APP}/`) // the ?dpop=1 switch is taken and removed from the URL
  await expect(page.locator('#walkthrough-mode')).toHaveText('DPoP-bound tokens')

  await page.click('#login')
  await page.waitForURL(`${ISSUER}/interaction/**`)
  await page.fill('input[name=login]', 'xena')
  await page.fill('input[name=password]', 'any-password')
  await page.click('button[type=submit]')
  await page.waitForURL((url) => url.origin === APP || url.pathname.startsWith('/interaction/'))
  if (new URL(page.url()).origin !== APP) {
    await page.getByRole('button', { name: /continue/i }).click()
  }
  await expect(page.locator('#status')).toHaveText('authenticated')
  expect((await rowsOf(step(page.locator('#walkthrough'), 'token').last()))['← token_type']).toBe(
    'DPoP',
  )
  // A DPoP-bound session needs its key: no switching until logged out.
  await expect(page.locator('#toggle-dpop')).toBeDisabled()
  await page.click('#call-api')
  await expect(page.locator('#api-result')).toContainText('"tokenType": "DPoP"')

  // Nothing wider than the screen: long values wrap.
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  )
  expect(overflow).toBeLessThanOrEqual(0)

  if (process.env.WALKTHROUGH_SCREENSHOT) {
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.evaluate(() => window.auth.getAccessToken({ forceRefresh: true }))
    await expect(step(page.locator('#walkthrough'), 'refresh')).toHaveCount(1)
    await page.screenshot({ path: process.env.WALKTHROUGH_SCREENSHOT, fullPage: true })
  }
  await page.evaluate(() => window.auth.logout({ localOnly: true }))
})

const MASKED = /^.{6}… \(\d+ chars\)$/

for (const [name, app, scheme] of [
  ['Bearer', APP, 'Bearer'],
  ['DPoP', DPOP_APP, 'DPoP'],
] as const) {
  test(`walkthrough (${name}): device login — the code request, each poll and the tokens, the device code and tokens masked`, async ({
    page,
    browser,
  }) => {
    test.setTimeout(60_000)
    const secrets = collectSecrets(page)
    const panel = page.locator('#walkthrough')
    const isPoll = (r: { url(): string; method(): string; postData(): string | null }) =>
      r.url() === `${ISSUER}/token` &&
      r.method() === 'POST' &&
      !!r.postData()?.includes('device_code')
    // The first poll is told to slow down (the real server says so only to an early poll).
    const slow = await misbehave(
      page,
      (u) => u.href === `${ISSUER}/token`,
      respond(400, { error: 'slow_down', error_description: 'poll less often' }),
      { times: 1, method: 'POST' },
    )

    // Every poll's answer as it came over the wire, in order: its error, or 'tokens'.
    const answers: Promise<string>[] = []
    page.on('response', (r) => {
      if (!isPoll(r.request())) return
      answers.push(
        r.json().then(
          (b: { error?: string }) => b.error ?? 'tokens',
          () => 'unreadable',
        ),
      )
    })

    await page.goto(`${app}/`)
    await expect(page.locator('#status')).toHaveText('unauthenticated')
    await page.click('#walkthrough-clear')
    const pending = page.waitForResponse(
      async (r) => isPoll(r.request()) && (await r.text()).includes('authorization_pending'),
    )
    await page.click('#device-start')
    await expect(page.locator('#device-code')).not.toBeEmpty()
    const userCode = (await page.textContent('#device-code'))!

    // 1. The device authorization request and its answer: the user code in clear (it is for
    // people), the device code masked.
    const device = step(panel, 'device')
    await expect(device).toHaveCount(1)
    await expect(device.locator('.step-outcome')).toHaveText(/^200 · \d+ ms$/)
    await expect(device.locator('dt', { hasText: '← device_code' })).toHaveCount(1)
    const asked = await rowsOf(device)
    expect(asked).toMatchObject({
      POST: `${ISSUER}/device/auth`,
      client_id: 'demo-spa',
      '← user_code': userCode,
      '← verification_uri': `${ISSUER}/device`,
      '← interval': '1 s between polls',
    })
    expect(asked.scope).toContain('openid')
    expect(asked['← device_code']).toMatch(MASKED)
    expect(new URL(asked['← verification_uri_complete']!).searchParams.get('user_code')).toBe(
      userCode,
    )
    expect(asked['← expires_in']).toMatch(/^\d+ s \(until \d\d:\d\d:\d\d\)$/)

    // 2. Polls before approval: slow_down, then authorization_pending (folded into one step).
    await pending
    const polls = step(panel, 'poll')
    await expect(polls.first()).toContainText('slow_down')
    await expect(polls.first().locator('.step-outcome')).toHaveText(/^slow_down \(400\) · \d+ ms$/)
    expect(slow.hits).toBe(1)
    const waiting = polls.filter({ hasText: 'not approved yet' })
    await expect(waiting).toHaveCount(1)
    await expect(waiting.locator('.step-outcome')).toHaveText(
      /^authorization_pending \(400\) · \d+ ms$/,
    )
    const pollRows = await rowsOf(waiting)
    expect(pollRows.grant_type).toBe('urn:ietf:params:oauth:grant-type:device_code')
    expect(pollRows.client_id).toBe('demo-spa')
    expect(pollRows.device_code).toMatch(MASKED)
    expect(pollRows.device_code!.slice(0, 6)).toBe(asked['← device_code']!.slice(0, 6))
    expect(pollRows['← error']).toBe('authorization_pending')
    if (scheme === 'DPoP') expect(pollRows.DPoP).toMatch(MASKED)

    // 3. Approved on the phone: the next poll gets the tokens, masked, the ID token decoded.
    await onPhone(browser, userCode, 'approve')
    await expect(page.locator('#status')).toHaveText('authenticated')
    const approved = polls.filter({ hasText: 'approved, tokens issued' })
    await expect(approved).toHaveCount(1)
    await expect(approved.locator('.step-outcome')).toHaveText(/^200 · \d+ ms$/)
    const tokenRows = await rowsOf(approved)
    expect(tokenRows.grant_type).toBe('urn:ietf:params:oauth:grant-type:device_code')
    expect(tokenRows['← token_type']).toBe(scheme)
    expect(tokenRows['← expires_in']).toMatch(/^\d+ s \(until \d\d:\d\d:\d\d\)$/)
    for (const t of ['device_code', '← access_token', '← refresh_token', '← id_token']) {
      expect(tokenRows[t]).toMatch(MASKED)
    }
    const idClaims = approved.locator('.step-claims', { hasText: 'ID token claims' })
    await expect(idClaims).toHaveAttribute('open', '')
    await expect(idClaims).toContainText('dora')
    await expect(idClaims).toContainText(ISSUER)
    await expect(step(panel, 'event').filter({ hasText: 'Logged in' })).toHaveCount(1)
    // Every answer on the wire is in the panel, in order; the pending ones in a row folded into
    // one step that counts them. (With DPoP the server also asks for a nonce: the SDK sends the
    // poll again at once, and the demo server's pacing takes that for an early poll: slow_down.)
    const expected: string[] = []
    let run = 0
    for (const answer of [...(await Promise.all(answers)), 'end']) {
      if (answer === 'authorization_pending') {
        run += 1
        continue
      }
      if (run) {
        expected.push(`Token poll: not approved yet${run > 1 ? ` (${run} polls)` : ''}`)
        run = 0
      }
      if (answer === 'end') break
      expected.push(
        {
          slow_down:
            'Token poll: polling too fast, the client now waits 5 s longer (RFC 8628 §3.5)',
          use_dpop_nonce: 'Token poll: the server wants a DPoP nonce, sent again with it',
          tokens: 'Token poll: approved, tokens issued',
        }[answer] ?? `Token poll: ${answer}`,
      )
    }
    expect(expected[0]).toContain('polling too fast') // the faked first answer
    expect(expected.filter((t) => t.startsWith('Token poll: not approved yet'))).toHaveLength(1)
    expect(expected.at(-1)).toBe('Token poll: approved, tokens issued')
    await expect(polls.locator('.step-title')).toHaveText(expected)
    const kinds = await panel
      .locator('li[data-kind]')
      .evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.kind))
    expect(kinds.indexOf('device')).toBeLessThan(kinds.indexOf('poll'))

    // Nothing secret in the panel or web storage: the device code and every token from the
    // wire, and those the SDK holds in IndexedDB.
    const session = await readSession(page)
    secrets.add(session!.refreshToken!)
    secrets.add(session!.tokens[API]!.accessToken)
    await expectNoSecret(page, secrets, 4)
    await page.evaluate(() => window.auth.logout({ localOnly: true }))
  })
}
