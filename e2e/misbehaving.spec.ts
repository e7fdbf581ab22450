import { expect, test, type Page } from '@playwright/test'
import { APP, ISSUER } from './env'
import { login, readSession, resetStats, signIn, stats } from './helpers'
import {
  cut,
  delay,
  huge,
  misbehave,
  resignIdToken,
  respond,
  tamperCallback,
  trustTestKey,
} from './kit'

// Uses of the misbehaving-server kit (e2e/kit.ts) against the real servers.

const TOKEN = `${ISSUER}/token`

/** `getAccessToken({ forceRefresh })` in the page: 'ok' or the error's name/code/reason. */
const forceRefresh = (page: Page) =>
  page.evaluate(() =>
    window.auth.getAccessToken({ forceRefresh: true }).then(
      () => 'ok',
      (e: Error & { code?: string; reason?: string }) => `${e.name}/${e.code}/${e.reason ?? ''}`,
    ),
  )

/** Starts a login and signs in; the callback then runs with whatever faults are installed. */
async function loginThroughFaults(page: Page, user: string) {
  await page.goto(`${APP}/`)
  await page.click('#login')
  await signIn(page, APP, user)
}

test('a refreshed ID token re-signed for another user ends the session (OIDC Core §12.2)', async ({
  page,
}) => {
  await login(page, APP, 'ivy')
  await trustTestKey(page, `${ISSUER}/jwks`)
  // The kit itself changes nothing that matters: same claims, re-signed → session kept.
  const same = await misbehave(
    page,
    TOKEN,
    resignIdToken((c) => c),
    { times: 1 },
  )
  expect(await forceRefresh(page)).toBe('ok')
  expect(same.hits).toBe(1)
  await expect(page.locator('#status')).toHaveText('authenticated')

  const other = await misbehave(
    page,
    TOKEN,
    resignIdToken((c) => ({ ...c, sub: 'mallory' })),
    { times: 1 },
  )
  expect(await forceRefresh(page)).toBe('LoginRequiredError/login_required/identity_changed')
  expect(other.hits).toBe(1)
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  expect(await readSession(page)).toBeUndefined()
})

test('a refreshed ID token for another audience ends the session', async ({ page }) => {
  await login(page, APP, 'ivan')
  await misbehave(
    page,
    TOKEN,
    resignIdToken((c) => ({ ...c, aud: 'another-client' })),
    { times: 1 },
  )
  // oauth4webapi refuses the aud itself: a rejected grant, the session ends.
  expect(await forceRefresh(page)).toMatch(/^(OAuthError\/oauth_error|LoginRequiredError)/)
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  expect(await readSession(page)).toBeUndefined()
})

for (const [name, tamper] of [
  ['a duplicated state', { duplicate: ['state'] }],
  ['a duplicated code', { duplicate: ['code'], duplicateWith: 'other-code' }],
  ['a dropped iss (the server advertises RFC 9207)', { drop: ['iss'] }],
  ['both code and error', { set: { error: 'access_denied' } }],
  ['the response moved into the fragment', { toFragment: true }],
] as const) {
  test(`a callback with ${name} is refused: no token request, nothing stored`, async ({ page }) => {
    await resetStats()
    const tampered = await tamperCallback(page, APP, tamper)
    await loginThroughFaults(page, 'jill')
    await expect(page.locator('#status')).toHaveText('unauthenticated')
    expect(tampered.hits).toBe(1)
    if (!('toFragment' in tamper)) await expect(page.locator('#error')).toContainText('Error')
    expect((await stats()).token.authorization_code).toBe(0)
    expect(await readSession(page)).toBeUndefined()
    // Nothing of the response stays in the address bar.
    expect(new URL(page.url()).search).not.toContain('code=')
  })
}

test('a token response cut mid-body at code exchange: NetworkError, nothing stored', async ({
  page,
}) => {
  await misbehave(page, TOKEN, cut(40, true), { method: 'POST', times: 1 })
  await loginThroughFaults(page, 'kim')
  await expect(page.locator('#error')).toContainText('NetworkError')
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  expect(await readSession(page)).toBeUndefined()
})

test('a token response of 32 MiB of garbage: a typed error, nothing stored', async ({ page }) => {
  await misbehave(page, TOKEN, huge(32 * 1024 * 1024), { method: 'POST', times: 1 })
  await loginThroughFaults(page, 'lena')
  // 32 MiB through the interception layer takes a while on a loaded machine.
  await expect(page.locator('#error')).toContainText(/NetworkError|OAuthError/, { timeout: 45_000 })
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  expect(await readSession(page)).toBeUndefined()
})

test('a 2 MiB token response of valid JSON (over the 1 MiB body limit): a typed error, nothing stored', async ({
  page,
}) => {
  const big = await misbehave(page, TOKEN, huge(2 * 1024 * 1024, true), {
    method: 'POST',
    times: 1,
  })
  await loginThroughFaults(page, 'lars')
  await expect(page.locator('#error')).toContainText(/NetworkError|OAuthError/)
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  expect(big.hits).toBe(1)
  expect(await readSession(page)).toBeUndefined()
})

test('a slow token endpoint (3 s) within the timeout: the login completes', async ({ page }) => {
  const slow = await misbehave(page, TOKEN, delay(3000), { method: 'POST', times: 1 })
  await loginThroughFaults(page, 'mona')
  await expect(page.locator('#status')).toHaveText('authenticated')
  expect(slow.hits).toBe(1)
})

test('a 200 token response that is not an OAuth answer (HTML-ish text as JSON type): typed error', async ({
  page,
}) => {
  await misbehave(
    page,
    TOKEN,
    respond(200, '<html>sign in</html>', { 'content-type': 'application/json' }),
    {
      method: 'POST',
      times: 1,
    },
  )
  await loginThroughFaults(page, 'nora')
  await expect(page.locator('#error')).toContainText('NetworkError')
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  expect(await readSession(page)).toBeUndefined()
})
