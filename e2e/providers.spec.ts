import { expect, test, type Page } from '@playwright/test'
import { createServer, type ViteDevServer } from 'vite'
import { fileURLToPath } from 'node:url'
import { startServers } from '../examples/servers/start.mjs'

// Each provider preset against its local stand-in (examples/servers/providers.mjs): login, a
// refresh after expiry, an API call, and a logout that reaches the provider's logout endpoint with
// the parameters it needs and comes back to the app. Beside it, where a generic configuration
// breaks on the provider's quirk, the same app without the preset, to show the preset matters.
//
// The stand-ins and two copies of the vanilla example (with VITE_PROVIDER, and without) are
// started here, one provider at a time, on their own ports.

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const AUTH_PORT = port('E2E_PROVIDER_AUTH_PORT', 27410)
const API_PORT = port('E2E_PROVIDER_API_PORT', 27411)
const ECHO_PORT = port('E2E_PROVIDER_ECHO_PORT', 27412)
const PRESET_APP = `http://localhost:${port('E2E_PROVIDER_APP_PORT', 27480)}`
const GENERIC_APP = `http://localhost:${port('E2E_PROVIDER_GENERIC_APP_PORT', 27481)}`
const AUTH = `http://localhost:${AUTH_PORT}`
const CLIENT_ID = 'demo-spa'
/** Short, so that a refresh is due within seconds (the SDK stops handing a token out at half). */
const TTL = 8

type Provider = 'auth0' | 'cognito' | 'entra' | 'keycloak' | 'okta'
interface LogoutHit {
  path: string
  params: Record<string, string>
}
interface Stats {
  token: { authorization_code: number; refresh_token: number }
  revocation: number
  logout: { count: number; last: LogoutHit | null }
}

const stats = async (): Promise<Stats> => (await fetch(`${AUTH}/__test/stats`)).json()
const resetStats = () => fetch(`${AUTH}/__test/reset`, { method: 'POST' })

/** Starts the stand-in and both apps for `provider`; stops them after the describe block. */
function standIn(provider: Provider) {
  const running: { close: () => Promise<void> }[] = []
  const env: { issuer: string; apiUrl: string } = { issuer: '', apiUrl: '' }
  test.beforeAll(async () => {
    const servers = await startServers({
      provider,
      authPort: AUTH_PORT,
      apiPort: API_PORT,
      echoPort: ECHO_PORT,
      appOrigins: [PRESET_APP, GENERIC_APP],
      accessTokenTtl: TTL,
      testHooks: true,
    })
    running.push(servers)
    Object.assign(env, { issuer: servers.issuer, apiUrl: servers.apiUrl })
    const root = fileURLToPath(new URL('../examples/vanilla/', import.meta.url))
    for (const [app, preset] of [
      [PRESET_APP, provider],
      [GENERIC_APP, ''],
    ] as const) {
      const vite: ViteDevServer = await createServer({
        root,
        configFile: `${root}vite.config.ts`,
        server: { port: Number(new URL(app).port), strictPort: true },
        define: {
          'import.meta.env.VITE_ISSUER': JSON.stringify(servers.issuer),
          'import.meta.env.VITE_API_URL': JSON.stringify(servers.apiUrl),
          'import.meta.env.VITE_OTHER_URL': JSON.stringify(servers.echoUrl),
          'import.meta.env.VITE_DPOP': JSON.stringify('0'),
          'import.meta.env.VITE_AUTO_REFRESH': JSON.stringify('0'),
          'import.meta.env.VITE_PROVIDER': JSON.stringify(preset),
          'import.meta.env.VITE_COGNITO_DOMAIN': JSON.stringify(
            servers.providerInfo.domain ?? AUTH,
          ),
          'import.meta.env.VITE_AUTH0_AUDIENCE': JSON.stringify(servers.apiUrl),
        },
        logLevel: 'warn',
      })
      await vite.listen()
      running.push(vite)
    }
  })
  test.afterAll(async () => {
    await Promise.all(running.splice(0).map((s) => s.close()))
  })
  return env
}

/** On the stand-in's login page (wherever it is mounted): signs in, consents when asked. */
async function signIn(page: Page, app: string, user: string) {
  await page.waitForURL((u) => u.origin === AUTH && u.pathname.includes('/interaction/'))
  await page.fill('input[name=login]', user)
  await page.fill('input[name=password]', 'any-password')
  await page.click('button[type=submit]')
  await page.waitForURL((u) => u.origin === app || u.pathname.includes('/interaction/'))
  if (new URL(page.url()).origin !== app) {
    await page.getByRole('button', { name: /continue/i }).click()
    await page.waitForURL((u) => u.origin === app)
  }
}

async function login(page: Page, app: string, user: string) {
  await page.goto(`${app}/`)
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  await page.click('#login')
  await signIn(page, app, user)
  await expect(page.locator('#status')).toHaveText('authenticated')
  await expect(page.locator('#error')).toBeHidden()
}

async function callApi(page: Page) {
  await page.click('#call-api')
  await expect(page.locator('#api-result')).toContainText('HTTP 200')
  return JSON.parse(
    (await page.locator('#api-result').textContent())!.split('\n').slice(1).join('\n'),
  )
}

/** The refresh token stored by the app (IndexedDB, read for the test only). */
function storedRefreshToken(page: Page, issuer: string): Promise<string | undefined> {
  return page.evaluate(
    (ns) =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open(`oauth-spa:${ns}`)
        req.onerror = () => reject(req.error)
        req.onsuccess = () => {
          const get = req.result
            .transaction('records', 'readonly')
            .objectStore('records')
            .get('session')
          get.onsuccess = () => resolve(get.result?.refreshToken)
          get.onerror = () => reject(get.error)
        }
      }),
    `${issuer}|${CLIENT_ID}`,
  )
}

/**
 * The whole round with the preset: login, API, refresh after expiry, API again, logout at the
 * provider and back; then a new login must show the login page again (the provider's session
 * ended). Returns the logout request the stand-in saw.
 */
async function fullRound(
  page: Page,
  env: { issuer: string },
  user: string,
  opts: { rotates: boolean; confirmLogout?: boolean },
): Promise<LogoutHit> {
  await resetStats()
  await login(page, PRESET_APP, user)
  expect(await callApi(page)).toMatchObject({ sub: user, tokenType: 'Bearer' })
  const before = await storedRefreshToken(page, env.issuer)
  expect(before).toBeTruthy()

  // The SDK raises lifetimes under 10 s to 10 s and stops handing a token out at half of it.
  await page.waitForTimeout((Math.max(TTL, 10) / 2) * 1000 + 700)
  await page.locator('#api-result').evaluate((e) => (e.textContent = ''))
  expect(await callApi(page)).toMatchObject({ sub: user })
  expect((await stats()).token.refresh_token).toBe(1)
  const after = await storedRefreshToken(page, env.issuer)
  if (opts.rotates) expect(after).not.toBe(before)
  else expect(after).toBe(before)

  await page.evaluate(() => Object.assign(window, { beforeLogout: true }))
  await page.click('#logout')
  if (opts.confirmLogout) {
    await page.waitForURL((u) => u.origin === AUTH)
    await page.click('button[name=logout][value=yes]')
  }
  // A new document of the app (its URL is the same as before the logout).
  await expect
    .poll(() => page.evaluate(() => !('beforeLogout' in window)).catch(() => false))
    .toBe(true)
  await page.waitForURL(`${PRESET_APP}/`)
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  await expect(page.locator('#error')).toBeHidden()
  await expect.poll(async () => (await stats()).logout.count).toBe(1)
  const { logout } = await stats()

  // The provider's session is over: logging in again asks for the password.
  await page.click('#login')
  await page.waitForURL((u) => u.origin === AUTH && u.pathname.includes('/interaction/'))
  return logout.last!
}

test.describe('cognito', () => {
  const env = standIn('cognito')

  test('preset: login, refresh without rotation, API, logout at DOMAIN/logout with client_id and logout_uri', async ({
    page,
  }) => {
    const hit = await fullRound(page, env, 'alice', { rotates: false })
    expect(hit).toEqual({
      path: '/logout',
      params: { client_id: CLIENT_ID, logout_uri: `${PRESET_APP}/` },
    })
    // revoked at DOMAIN/oauth2/revoke, which the metadata does not list
    // Logout clears locally first; revocation follows.
    await expect.poll(async () => (await stats()).revocation).toBeGreaterThan(0)
  })

  test('generic: offline_access in the scope is refused, the login fails', async ({ page }) => {
    await page.goto(`${GENERIC_APP}/`)
    await page.click('#login')
    await page.waitForURL((u) => u.pathname === '/callback', { waitUntil: 'commit' })
    await expect(page.locator('#error')).toContainText('invalid_request')
    await expect(page.locator('#error')).toContainText('invalid_scope')
    await expect(page.locator('#status')).toHaveText('unauthenticated')
  })
})

test.describe('auth0', () => {
  const env = standIn('auth0')

  test('preset: audience picks the API, refresh with rotation, logout at /v2/logout with client_id and returnTo', async ({
    page,
  }) => {
    const hit = await fullRound(page, env, 'bob', { rotates: true })
    expect(hit).toEqual({
      path: '/v2/logout',
      params: { client_id: CLIENT_ID, returnTo: `${PRESET_APP}/` },
    })
  })

  test('preset: the audience is on the authorization request, not resource', async ({ page }) => {
    const asked: URL[] = []
    page.on('request', (r) => {
      const u = new URL(r.url())
      if (u.origin === AUTH && u.pathname === '/authorize') asked.push(u)
    })
    await login(page, PRESET_APP, 'bob')
    expect(asked[0]!.searchParams.get('audience')).toBe(env.apiUrl)
    expect(asked[0]!.searchParams.has('resource')).toBe(false)
    expect(asked[0]!.searchParams.get('scope')).toBe(
      'openid profile email offline_access read write',
    )
  })

  test('generic: no end_session_endpoint, so logout never reaches Auth0 and its session lives on', async ({
    page,
  }) => {
    await resetStats()
    await login(page, GENERIC_APP, 'carol')
    await page.click('#logout')
    await expect(page.locator('#status')).toHaveText('unauthenticated')
    expect((await stats()).logout.count).toBe(0)
    // Back in without a password: the provider never heard of the logout (at most its consent
    // page asks again).
    await page.click('#login')
    await page.waitForURL(
      (u) => u.pathname.includes('/interaction/') || u.pathname === '/callback',
      {
        waitUntil: 'commit',
      },
    )
    if (page.url().includes('/interaction/')) {
      await expect(page.getByRole('button', { name: /continue/i })).toBeVisible()
      await expect(page.locator('input[name=password]')).toHaveCount(0)
      await page.getByRole('button', { name: /continue/i }).click()
    }
    await expect(page.locator('#status')).toHaveText('authenticated')
  })
})

test.describe('entra', () => {
  const env = standIn('entra')

  test('preset: the {tenantid} issuer checked with the token’s tenant, refresh, API, logout at the end-session endpoint', async ({
    page,
  }) => {
    const hit = await fullRound(page, env, 'dave', { rotates: true, confirmLogout: true })
    expect(hit).toEqual({
      path: '/common/oauth2/v2.0/logout',
      params: { client_id: CLIENT_ID, post_logout_redirect_uri: `${PRESET_APP}/` },
    })
    // Entra has no revocation endpoint: nothing was revoked, the session still ended locally.
    expect((await stats()).revocation).toBe(0)
  })

  test('generic: the multi-tenant metadata names a template issuer, discovery refuses it', async ({
    page,
  }) => {
    await page.goto(`${GENERIC_APP}/`)
    await page.click('#login')
    await expect(page.locator('#error')).toContainText('ConfigurationError')
    await expect(page.locator('#error')).toContainText('{tenantid}')
    expect(new URL(page.url()).origin).toBe(GENERIC_APP)
  })
})

test.describe('keycloak', () => {
  const env = standIn('keycloak')

  test('preset: realm issuer, session_state in the callback, logout with id_token_hint without a confirmation', async ({
    page,
  }) => {
    const hit = await fullRound(page, env, 'erin', { rotates: true })
    expect(hit).toEqual({
      path: '/realms/demo/protocol/openid-connect/logout',
      params: {
        client_id: CLIENT_ID,
        id_token_hint: '<redacted>',
        post_logout_redirect_uri: `${PRESET_APP}/`,
      },
    })
  })
})

test.describe('okta', () => {
  const env = standIn('okta')

  test('preset: custom authorization server, logout with the id_token_hint Okta requires', async ({
    page,
  }) => {
    const hit = await fullRound(page, env, 'frank', { rotates: true })
    expect(hit).toEqual({
      path: '/oauth2/default/v1/logout',
      params: {
        client_id: CLIENT_ID,
        id_token_hint: '<redacted>',
        post_logout_redirect_uri: `${PRESET_APP}/`,
      },
    })
  })
})
