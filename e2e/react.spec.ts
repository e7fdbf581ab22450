import { expect, test } from '@playwright/test'
import { API, ISSUER, REACT_APP } from './env'
import {
  deviceLoginOnExample,
  login,
  readSession,
  resetStats,
  signIn,
  stats,
  webStorageDump,
} from './helpers'

// The React example (examples/react): the bindings against the real servers, under StrictMode.

test('React: log in under StrictMode with one code exchange, call the API, keep the token out of web storage', async ({
  page,
  context,
}) => {
  const urls: string[] = []
  page.on('framenavigated', (f) => f === page.mainFrame() && urls.push(f.url()))
  const codeExchanges: string[] = []
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().startsWith(`${ISSUER}/token`)) {
      const grant = new URLSearchParams(r.postData() ?? '').get('grant_type')
      if (grant === 'authorization_code') codeExchanges.push(r.url())
    }
  })

  await page.goto(`${REACT_APP}/`)
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  await expect(page.locator('#token-info')).toHaveText('none')
  await expect(page.locator('#call-api')).toHaveCount(0)
  await resetStats()
  await page.click('#login')
  await signIn(page, REACT_APP, 'grace')
  await expect(page.locator('#status')).toHaveText('authenticated')
  await expect(page.locator('#user-name')).toHaveText('Grace Example')

  // The /callback route ran (StrictMode runs its effect twice) and exchanged the code once.
  expect(urls.some((u) => u.startsWith(`${REACT_APP}/callback?`))).toBe(true)
  await page.waitForURL(`${REACT_APP}/`)
  expect(await page.evaluate(() => location.search)).toBe('')
  expect((await stats()).token.authorization_code).toBe(1)
  expect(codeExchanges).toHaveLength(1)
  await expect(page.locator('#error')).toHaveCount(0)

  await page.click('#call-api')
  await expect(page.locator('#api-result')).toContainText('HTTP 200')
  const answer = JSON.parse(
    (await page.locator('#api-result').textContent())!.split('\n').slice(1).join('\n'),
  )
  expect(answer).toMatchObject({ sub: 'grace', tokenType: 'Bearer' })

  // useAccessToken: the component knows there is a token, the page never shows it.
  const session = await readSession(page)
  const accessToken = session!.tokens[API]!.accessToken
  expect(accessToken).toBeTruthy()
  await expect(page.locator('#token-info')).toHaveText(`present (${accessToken.length} characters)`)
  expect(await page.content()).not.toContain(accessToken)
  const dump = await webStorageDump(page, context)
  for (const secret of [accessToken, session!.refreshToken!]) {
    expect(secret).toBeTruthy()
    expect(dump).not.toContain(secret)
    expect(urls.join(' ')).not.toContain(secret)
  }
  expect((await stats()).token.authorization_code).toBe(1)

  await page.evaluate(() => window.auth.logout({ localOnly: true }))
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  await expect(page.locator('#user-name')).toHaveCount(0)
  await expect(page.locator('#call-api')).toHaveCount(0)
  await expect(page.locator('#login')).toBeVisible()
  await expect(page.locator('#token-info')).toHaveText('none')
  expect(await readSession(page)).toBeUndefined()
})

test('React: a replayed callback URL shows the CallbackError without a second token request', async ({
  page,
}) => {
  let callback = ''
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame() && f.url().includes('/callback?')) callback = f.url()
  })
  await login(page, REACT_APP, 'heidi')
  expect(callback).toContain('code=')
  await resetStats()
  await page.goto(callback)
  await expect(page.locator('#error')).toContainText('CallbackError')
  await expect(page.getByText('The login could not be completed.')).toBeVisible()
  expect((await stats()).token.authorization_code).toBe(0)
  // The earlier session is untouched.
  await expect(page.locator('#status')).toHaveText('authenticated')
})

test('React: the Log out button ends the session at the server and lands back on the app', async ({
  page,
}) => {
  await login(page, REACT_APP, 'ivan')
  await page.click('#logout')
  await page.waitForURL(`${ISSUER}/session/end**`)
  await page.click('button[value=yes]')
  await page.waitForURL(`${REACT_APP}/**`)
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  await expect(page.locator('#token-info')).toHaveText('none')
})

test('React: a signed-out visit to the protected /notes goes through the login and lands on /notes', async ({
  page,
}) => {
  await page.goto(`${REACT_APP}/`)
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  // A client-side navigation to the protected route: RequireAuth starts the login.
  await page.click('#nav-notes')
  await signIn(page, REACT_APP, 'judy')
  await page.waitForURL(`${REACT_APP}/notes`)
  await expect(page.locator('#notes-title')).toHaveText('Notes')
  await expect(page.locator('#status')).toHaveText('authenticated')
  expect(await page.evaluate(() => location.search)).toBe('')

  await page.fill('#note-text', 'from the protected route')
  await page.click('#create-note')
  await expect(page.locator('#api-result')).toContainText('HTTP 201')
  await expect(page.locator('#api-result')).toContainText('from the protected route')
})

test('React: a direct visit to /notes with query and hash lands back on exactly that URL', async ({
  page,
}) => {
  await page.goto(`${REACT_APP}/notes?sort=new#latest`)
  await signIn(page, REACT_APP, 'judy')
  await page.waitForURL(`${REACT_APP}/notes?sort=new#latest`)
  await expect(page.locator('#notes-title')).toHaveText('Notes')
  await expect(page.locator('#user-name')).toHaveText('Judy Example')
})

test('React: log in on another device: code, link and QR code on the page, approved on a phone, then the API', async ({
  page,
  browser,
}) => {
  await deviceLoginOnExample(page, browser, REACT_APP)
})
