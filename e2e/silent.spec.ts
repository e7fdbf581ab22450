import { expect, test } from '@playwright/test'
import { ACCESS_TOKEN_TTL, API, APP, ISSUER } from './env'
import { dropRefreshToken, login, readSession, resetStats, stats } from './helpers'

for (const par of [false, true]) {
  const clientId = par ? 'demo-spa-par' : 'demo-spa'
  test(`without a refresh token, the token is renewed by prompt=none in a hidden iframe${par ? ' (PAR required: the request is pushed first)' : ''}`, async ({
    page,
  }) => {
    await page.goto(`${APP}/?par=${par ? 1 : 0}`)
    await login(page, APP, 'jane')
    await dropRefreshToken(page, clientId)
    await page.reload()
    await expect(page.locator('#status')).toHaveText('authenticated')
    const before = (await readSession(page, clientId))!.tokens[API]!.accessToken
    await page.waitForTimeout((ACCESS_TOKEN_TTL / 2) * 1000 + 500)
    await resetStats()

    const frames: string[] = []
    const pushed: string[] = []
    page.on('request', (r) => {
      if (r.frame() !== page.mainFrame()) frames.push(r.url())
      else if (r.url() === `${ISSUER}/request`) pushed.push(r.postData() ?? '')
    })
    const renewed = await page.evaluate(() => window.auth.getAccessToken())
    expect(renewed).not.toBe(before)
    expect((await stats()).token).toEqual({
      authorization_code: 1,
      refresh_token: 0,
      device_code: 0,
    })
    const authorize = frames
      .map((u) => new URL(u))
      .find((u) => u.href.startsWith(`${ISSUER}/auth?`))
    expect(authorize).toBeDefined()
    if (par) {
      // prompt=none travels in the pushed request; the iframe carries its handle only.
      expect(pushed).toHaveLength(1)
      expect(new URLSearchParams(pushed[0]).get('prompt')).toBe('none')
      expect([...authorize!.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri'])
    } else {
      expect(pushed).toHaveLength(0)
      expect(authorize!.searchParams.get('prompt')).toBe('none')
    }
    // The iframe is gone and the app still works with the renewed token.
    expect(await page.locator('iframe').count()).toBe(0)
    await page.click('#call-api')
    await expect(page.locator('#api-result')).toContainText('HTTP 200')
    if (par) await page.goto(`${APP}/?par=0`)
  })
}
