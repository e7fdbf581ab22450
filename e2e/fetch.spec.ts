import { expect, test } from '@playwright/test'
import { ACCESS_TOKEN_TTL, API, API2, APP, DPOP_APP, ISSUER, OTHER } from './env'
import { login, readSession, resetStats, stats } from './helpers'

const apiAnswer = async (text: string | null) => JSON.parse(text!.split('\n').slice(1).join('\n'))

test('a request to a not-allowed origin arrives without Authorization', async ({ page }) => {
  await login(page, APP, 'gina')
  await fetch(`${OTHER}/__test/reset`, { method: 'POST' })
  await page.click('#call-other')
  await expect(page.locator('#api-result')).toContainText('HTTP 200')
  expect(await apiAnswer(await page.locator('#api-result').textContent())).toMatchObject({
    receivedAuthorization: false,
    receivedDpop: false,
  })
})

test('DPoP: the API accepts the bound token; copied out as Bearer or with another key it is refused', async ({
  page,
}) => {
  await login(page, DPOP_APP, 'hank')
  await page.click('#call-api')
  await expect(page.locator('#api-result')).toContainText('HTTP 200')
  expect(await apiAnswer(await page.locator('#api-result').textContent())).toMatchObject({
    tokenType: 'DPoP',
  })
  await page.click('#create-note')
  await expect(page.locator('#api-result')).toContainText('HTTP 201')

  const session = (await readSession(page))!
  const stolen = session.tokens[API]!
  expect(stolen.tokenType).toBe('dpop')
  // Replayed as a plain Bearer token.
  const asBearer = await fetch(`${API}/api/user-profile`, {
    headers: { authorization: `Bearer ${stolen.accessToken}` },
  })
  expect(asBearer.status).toBe(401)
  // Replayed with a proof signed by the attacker's own key.
  const { generateKeyPair, SignJWT, exportJWK } = await import('jose')
  const attacker = await generateKeyPair('ES256', { extractable: true })
  const ath = Buffer.from(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(stolen.accessToken)),
  ).toString('base64url')
  const proof = await new SignJWT({
    htm: 'GET',
    htu: `${API}/api/user-profile`,
    jti: crypto.randomUUID(),
    ath,
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(attacker.publicKey) })
    .setIssuedAt()
    .sign(attacker.privateKey)
  const otherKey = await fetch(`${API}/api/user-profile`, {
    headers: { authorization: `DPoP ${stolen.accessToken}`, dpop: proof },
  })
  expect(otherKey.status).toBe(401)
})

test('DPoP: the private key cannot be exported, and the session survives a reload', async ({
  page,
}) => {
  await login(page, DPOP_APP, 'iris')
  const exported = await page.evaluate(
    (issuer) =>
      new Promise<string>((resolve) => {
        const req = indexedDB.open(`oauth-spa:${issuer}|demo-spa`)
        req.onsuccess = () => {
          const get = req.result.transaction('records').objectStore('records').get('dpop')
          get.onsuccess = async () => {
            const pair = get.result as CryptoKeyPair
            try {
              await crypto.subtle.exportKey('jwk', pair.privateKey)
              resolve('exported')
            } catch (e) {
              resolve(`refused: ${(e as Error).name} extractable=${pair.privateKey.extractable}`)
            }
          }
        }
      }),
    ISSUER,
  )
  expect(exported).toMatch(/^refused: InvalidAccessError extractable=false$/)

  await page.reload()
  await expect(page.locator('#status')).toHaveText('authenticated')
  await page.click('#call-api')
  await expect(page.locator('#api-result')).toContainText('HTTP 200')
})

test('tokens per API: one refresh token yields a token for a second API, picked by origin', async ({
  page,
}) => {
  await login(page, APP, 'kate')
  await resetStats()
  const answer = await page.evaluate(async (api2) => {
    const res = await window.auth.fetch(`${api2}/api/user-profile`)
    return { status: res.status, body: await res.json() }
  }, API2)
  expect(answer).toMatchObject({ status: 200, body: { sub: 'kate' } })
  // Obtained through the refresh token, not a new login.
  expect((await stats()).token).toEqual({ authorization_code: 0, refresh_token: 1, device_code: 0 })
  const session = (await readSession(page))!
  expect(Object.keys(session.tokens).sort()).toEqual([API, API2].sort())
  expect(session.tokens[API]!.accessToken).not.toBe(session.tokens[API2]!.accessToken)
  // The first API's token is not accepted by the second (audience), so the choice matters.
  const wrong = await fetch(`${API2}/api/user-profile`, {
    headers: { authorization: `Bearer ${session.tokens[API]!.accessToken}` },
  })
  expect(wrong.status).toBe(401)
})

test('DPoP: the bound refresh token rotates at the real server (nonces on both servers)', async ({
  page,
}) => {
  await login(page, DPOP_APP, 'quinn')
  const before = (await readSession(page))!
  await page.waitForTimeout((ACCESS_TOKEN_TTL / 2) * 1000 + 500)
  await resetStats()
  await page.click('#call-api')
  await expect(page.locator('#api-result')).toContainText('HTTP 200')
  const after = (await readSession(page))!
  expect(after.refreshToken).not.toBe(before.refreshToken)
  expect(after.tokens[API]!.tokenType).toBe('dpop')
  // One refresh, possibly preceded by one nonce challenge: never more.
  expect((await stats()).token.refresh_token).toBeGreaterThanOrEqual(1)
  expect((await stats()).token.refresh_token).toBeLessThanOrEqual(2)
  // Logout revokes the bound tokens; the old refresh token is dead at the server.
  await page.evaluate(() => window.auth.logout({ localOnly: true }))
  await expect(page.locator('#status')).toHaveText('unauthenticated')
  // Logout clears locally first; revocation follows.
  await expect.poll(async () => (await stats()).revocation).toBeGreaterThanOrEqual(1)
})
