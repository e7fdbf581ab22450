import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { startEchoServer } from './echo-server.mjs'

const APP = 'http://localhost:5173'

/** @type {Awaited<ReturnType<typeof startEchoServer>>} */
let echo

beforeAll(async () => {
  echo = await startEchoServer({ port: 0, appOrigins: [APP] })
})
afterAll(async () => {
  await echo?.close()
})
beforeEach(async () => {
  await fetch(`${echo.url}/__test/reset`, { method: 'POST' })
})

describe('echo server', () => {
  it('listens on the requested free port', () => {
    expect(echo.port).toBeGreaterThan(0)
    expect(echo.url).toBe(`http://localhost:${echo.port}`)
  })

  it('reports whether Authorization and DPoP arrived, without echoing them', async () => {
    const plain = await fetch(`${echo.url}/public/data`, { headers: { origin: APP } })
    expect(plain.headers.get('access-control-allow-origin')).toBe(APP)
    expect(await plain.json()).toEqual({ receivedAuthorization: false, receivedDpop: false })

    const secret = 'Bearer super-secret-token'
    const leaked = await fetch(`${echo.url}/public/data`, {
      headers: { authorization: secret, dpop: 'proof.jwt.value' },
    })
    expect(await leaked.json()).toEqual({ receivedAuthorization: true, receivedDpop: true })

    const logRes = await fetch(`${echo.url}/__test/requests`)
    const text = await logRes.text()
    expect(text).not.toContain('super-secret-token')
    expect(text).not.toContain('proof.jwt.value')
    const log = JSON.parse(text)
    expect(log).toHaveLength(2)
    expect(log[0]).toMatchObject({
      method: 'GET',
      path: '/public/data',
      authorization: false,
      dpop: false,
    })
    expect(log[0].headers).not.toContain('authorization')
    expect(log[1]).toMatchObject({ authorization: true, dpop: true })
    expect(log[1].headers).toEqual(expect.arrayContaining(['authorization', 'dpop']))
  })

  it('lets the app origin send Authorization and DPoP (preflight), not other origins', async () => {
    /** @param {string} origin */
    const preflight = (origin) =>
      fetch(`${echo.url}/public/data`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization, dpop',
        },
      })
    const ok = await preflight(APP)
    expect(ok.status).toBe(204)
    expect(ok.headers.get('access-control-allow-origin')).toBe(APP)
    expect(ok.headers.get('access-control-allow-headers')).toBe('Authorization, DPoP, Content-Type')
    const other = await preflight('http://localhost:7777')
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('redirects /redirect-to?url=... with a 302 and records the request', async () => {
    const target = `${echo.url}/public/data?from=redirect`
    const res = await fetch(`${echo.url}/redirect-to?url=${encodeURIComponent(target)}`, {
      redirect: 'manual',
    })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(target)

    // a client following it lands on the target
    const followed = await fetch(`${echo.url}/redirect-to?url=${encodeURIComponent(target)}`)
    expect(await followed.json()).toEqual({ receivedAuthorization: false, receivedDpop: false })

    const bad = await fetch(`${echo.url}/redirect-to?url=javascript:alert(1)`, {
      redirect: 'manual',
    })
    expect(bad.status).toBe(400)

    const log = await (await fetch(`${echo.url}/__test/requests`)).json()
    expect(log.map((/** @type {{ path: string }} */ r) => r.path)).toEqual([
      '/redirect-to',
      '/redirect-to',
      '/public/data',
      '/redirect-to',
    ])
  })

  it('reset empties the log', async () => {
    await fetch(`${echo.url}/public/data`)
    expect(await (await fetch(`${echo.url}/__test/requests`)).json()).toHaveLength(1)
    await fetch(`${echo.url}/__test/reset`, { method: 'POST' })
    expect(await (await fetch(`${echo.url}/__test/requests`)).json()).toEqual([])
  })
})
