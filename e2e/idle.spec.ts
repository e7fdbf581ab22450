import { expect, test, type Page } from '@playwright/test'
import { APP } from './env'
import { login, readSession, resetStats, stats } from './helpers'

// `idleTimeout` across two tabs of the vanilla example, switched on for the page load by
// `?idle=SECONDS&idle-warning=SECONDS` (examples/vanilla/src/main.ts), with real input events
// (Playwright's mouse and keyboard go through the browser's input pipeline).

const IDLE = 8
const WARNING = 4
const IDLE_URL = `${APP}/?idle=${IDLE}&idle-warning=${WARNING}`

let x = 10
/** One real pointer move (a new position each time) and a key press. */
async function input(page: Page) {
  x = x >= 300 ? 10 : x + 7
  await page.mouse.move(x, 40 + (x % 50))
  await page.keyboard.press('Shift')
}

test('idle timeout: input in one tab keeps both logged in; without input both warn, input cancels, then both end unauthenticated and the token is revoked', async ({
  context,
}) => {
  test.setTimeout(120_000)
  const a = await context.newPage()
  await login(a, APP)
  // The session, restored in two tabs that both watch for inactivity.
  await a.goto(IDLE_URL)
  const b = await context.newPage()
  await b.goto(IDLE_URL)
  for (const page of [a, b]) {
    await expect(page.locator('#status')).toHaveText('authenticated')
    await expect(page.locator('#idle-warning')).toBeHidden()
  }

  // 1. Input in tab B only, for longer than the timeout: tab A hears of it and never warns.
  const busyUntil = Date.now() + (IDLE + 4) * 1000
  let lastInput = 0
  while (Date.now() < busyUntil) {
    await input(b)
    lastInput = Date.now()
    await b.waitForTimeout(700)
    for (const page of [a, b]) {
      await expect(page.locator('#idle-warning')).toBeHidden({ timeout: 1 })
      await expect(page.locator('#status')).toHaveText('authenticated', { timeout: 1 })
    }
  }

  // 2. No input anywhere: both tabs warn, with the time left.
  await resetStats()
  for (const page of [a, b]) {
    await expect(page.locator('#idle-warning')).toBeVisible({ timeout: IDLE * 1000 })
    await expect(page.locator('#idle-warning')).toHaveText(/logged out in [1-4] s/)
  }
  expect(Date.now() - lastInput).toBeGreaterThanOrEqual((IDLE - WARNING) * 1000 - 500)

  // 3. Input in tab A during the warning cancels it in both tabs (`idle-reset`).
  await input(a)
  lastInput = Date.now()
  for (const page of [a, b]) {
    await expect(page.locator('#idle-warning')).toBeHidden({ timeout: 3000 })
    await expect(page.locator('#status')).toHaveText('authenticated')
  }

  // 4. No input again: the warning, then the session ends in both tabs.
  for (const page of [a, b]) {
    await expect(page.locator('#idle-warning')).toBeVisible({ timeout: IDLE * 1000 })
  }
  for (const page of [a, b]) {
    await expect(page.locator('#status')).toHaveText('unauthenticated', {
      timeout: WARNING * 1000 + 3000,
    })
    await expect(page.locator('#idle-warning')).toBeHidden()
  }
  expect(Date.now() - lastInput).toBeGreaterThanOrEqual(IDLE * 1000 - 500)
  // Ended like a logout: nothing stored, the refresh token revoked at the server.
  expect(await readSession(a)).toBeUndefined()
  expect(await readSession(b)).toBeUndefined()
  await expect.poll(async () => (await stats()).revocation).toBeGreaterThanOrEqual(1)
  // Still the app's login page, not the authorization server: a local logout.
  expect(new URL(a.url()).origin).toBe(APP)
  expect(new URL(b.url()).origin).toBe(APP)
})

test('idle timeout is off without the option: no warning and no logout after the same time', async ({
  page,
}) => {
  test.setTimeout(60_000)
  await login(page, APP)
  await page.waitForTimeout((IDLE + 1) * 1000)
  await expect(page.locator('#idle-warning')).toBeHidden()
  await expect(page.locator('#status')).toHaveText('authenticated')
  expect(await readSession(page)).toBeDefined()
})
