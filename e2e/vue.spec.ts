import { expect, test } from '@playwright/test'
import { API, ISSUER, VUE_APP } from './env'
import {
  deviceLoginOnExample,
  readSession,
  resetStats,
  signIn,
  stats,
  webStorageDump,
} from './helpers'

// The Vue example (examples/vue): the bindings and the router guard against the real servers.

test('Vue: log in, call the API, keep the token out of web storage, log out', async ({
  page,
  context,
}) => {
  const urls: string[] = []
  page.on('framenavigated', (f) => f === page.mainFrame() && urls.push(f.url()))
  await page.goto(`${VUE_APP}/`)
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  await expect(page.locator('#token-info')).toHaveText('none')
  await expect(page.locator('#call-api')).toHaveCount(0)
  await resetStats()
  await page.click('#login')
  await signIn(page, VUE_APP, 'kate')
  await expect(page.locator('#status')).toHaveText('authenticated')
  await expect(page.locator('#user-name')).toHaveText('Kate Example')
  expect(urls.some((u) => u.startsWith(`${VUE_APP}/callback?`))).toBe(true)
  await page.waitForURL(`${VUE_APP}/`)
  expect(await page.evaluate(() => location.search)).toBe('')
  expect((await stats()).token.authorization_code).toBe(1)
  await expect(page.locator('#error')).toHaveCount(0)

  await page.click('#call-api')
  await expect(page.locator('#api-result')).toContainText('HTTP 200')
  const answer = JSON.parse(
    (await page.locator('#api-result').textContent())!.split('\n').slice(1).join('\n'),
  )
  expect(answer).toMatchObject({ sub: 'kate', tokenType: 'Bearer' })

  // useAccessToken: the component knows there is a token, the page never shows it.
  const session = await readSession(page)
  const accessToken = session!.tokens[API]!.accessToken
  await expect(page.locator('#token-info')).toHaveText(`present (${accessToken.length} characters)`)
  expect(await page.content()).not.toContain(accessToken)
  const dump = await webStorageDump(page, context)
  for (const secret of [accessToken, session!.refreshToken!]) {
    expect(secret).toBeTruthy()
    expect(dump).not.toContain(secret)
    expect(urls.join(' ')).not.toContain(secret)
  }

  // The Log out button: revocation, then the server's end-session page, then back on the app.
  await page.click('#logout')
  await page.waitForURL(`${ISSUER}/session/end**`)
  await page.click('button[value=yes]')
  await page.waitForURL(`${VUE_APP}/**`)
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  await expect(page.locator('#token-info')).toHaveText('none')
  expect(await readSession(page)).toBeUndefined()
})

test('Vue: the router guard sends a signed-out visitor of /notes to login and lands them on /notes', async ({
  page,
}) => {
  await page.goto(`${VUE_APP}/`)
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  // A client-side navigation to the protected route: the guard starts the login.
  await page.click('#nav-notes')
  await signIn(page, VUE_APP, 'liam')
  await page.waitForURL(`${VUE_APP}/notes`)
  await expect(page.locator('#notes-title')).toHaveText('Notes')
  await expect(page.locator('#user-name')).toHaveText('Liam Example')
  expect(await page.evaluate(() => location.search)).toBe('')

  await page.fill('#note-text', 'from the guarded route')
  await page.click('#create-note')
  await expect(page.locator('#api-result')).toContainText('HTTP 201')
  await expect(page.locator('#api-result')).toContainText('from the guarded route')

  // Logged in, the guard lets the user through without another login.
  await page.click('#nav-home')
  await page.click('#nav-notes')
  await expect(page.locator('#notes-title')).toHaveText('Notes')
  expect(page.url()).toBe(`${VUE_APP}/notes`)
})

test('Vue: a direct visit to /notes with query and hash lands back on exactly that URL', async ({
  page,
}) => {
  await page.goto(`${VUE_APP}/notes?sort=new#latest`)
  await signIn(page, VUE_APP, 'mia')
  await page.waitForURL(`${VUE_APP}/notes?sort=new#latest`)
  await expect(page.locator('#notes-title')).toHaveText('Notes')
  await expect(page.locator('#status')).toHaveText('authenticated')
})

test('Vue: log in on another device: code, link and QR code on the page, approved on a phone, then the API', async ({
  page,
  browser,
}) => {
  await deviceLoginOnExample(page, browser, VUE_APP)
})
