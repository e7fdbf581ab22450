import { expect, test } from '@playwright/test'
import { API, APP } from './env'
import { login, readSession, resetStats, stats, webStorageDump } from './helpers'

test('log in through the real server, call the API, keep no token in web storage or the URL', async ({
  page,
  context,
}) => {
  const urls: string[] = []
  page.on('framenavigated', (f) => f === page.mainFrame() && urls.push(f.url()))
  await login(page, APP, 'alice')
  await expect(page.locator('#user-name')).toHaveText('Alice Example')
  // The callback URL is cleaned: no code or state left in the address bar.
  expect(page.url()).toBe(`${APP}/`)

  await page.click('#call-api')
  await expect(page.locator('#api-result')).toContainText('HTTP 200')
  const answer = JSON.parse(
    (await page.locator('#api-result').textContent())!.split('\n').slice(1).join('\n'),
  )
  expect(answer).toMatchObject({ sub: 'alice', tokenType: 'Bearer' })

  const session = await readSession(page)
  const accessToken = session!.tokens[API]!.accessToken
  expect(accessToken).toBeTruthy()
  expect(session!.refreshToken).toBeTruthy()
  const dump = await webStorageDump(page, context)
  for (const secret of [accessToken, session!.refreshToken!]) {
    expect(dump).not.toContain(secret)
    expect(urls.join(' ')).not.toContain(secret)
  }
  // The code never stays in the URL after the callback, and history holds no callback entry.
  expect(await page.evaluate(() => location.search)).toBe('')
})

test('a reload with a stored session sends no request to the authorization server', async ({
  page,
}) => {
  await login(page, APP, 'bob')
  await resetStats()
  const toServer: string[] = []
  page.on('request', (r) => {
    if (!r.url().startsWith(APP)) toServer.push(r.url())
  })
  await page.reload()
  await expect(page.locator('#status')).toHaveText('authenticated')
  await expect(page.locator('#user-name')).toHaveText('Bob Example')
  expect(toServer).toEqual([])
  expect((await stats()).token).toEqual({ authorization_code: 0, refresh_token: 0, device_code: 0 })
})

test('a replayed callback URL is refused without a second token request', async ({ page }) => {
  let callback = ''
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame() && f.url().includes('/callback?')) callback = f.url()
  })
  await login(page, APP, 'carol')
  expect(callback).toContain('code=')
  await resetStats()
  await page.goto(callback)
  await expect(page.locator('#error')).toContainText('CallbackError')
  expect((await stats()).token.authorization_code).toBe(0)
  // The earlier session is untouched.
  await expect(page.locator('#status')).toHaveText('authenticated')
})
