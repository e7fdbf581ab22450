import { describe, expect, test, vi } from 'vitest'
import { dpop, DPoPError } from './index.js'
import { FakeServer, json, oauthError } from './test/fake-server.js'
import {
  clock,
  errorOf,
  loginFlow,
  makeClient,
  settle,
  timers,
  uniqueClientId,
} from './test/helpers.js'

// Failures that are not the server refusing the grant must never end the session.
describe('only a refused grant ends the session', () => {
  async function loggedIn(server = new FakeServer(), extra = {}) {
    const c = clock()
    const auth = makeClient(server, { now: c.now, ...extra })
    await loginFlow(auth, server)
    return { auth, server, clock: c }
  }

  test('after a reload, discovery answering 404 (cache expired): error reported, session kept', async () => {
    const server = new FakeServer()
    const clientId = uniqueClientId('discovery')
    const c = clock()
    await loginFlow(makeClient(server, { clientId, now: c.now, discoveryTtl: 60 }), server)
    c.advance(3600_000)
    const reloaded = makeClient(server, {
      clientId,
      now: c.now,
      discoveryTtl: 60,
      fetch: async (input, init) =>
        String(input).includes('/.well-known/')
          ? new Response('<h1>Maintenance</h1>', {
              status: 404,
              headers: { 'content-type': 'text/html' },
            })
          : server.fetch(input, init),
    })
    await reloaded.ready
    const err = await errorOf(reloaded.getAccessToken())
    expect(err).toMatchObject({ code: 'oauth_error', status: 404 })
    expect(reloaded.getState().status).toBe('authenticated')
    expect(
      server.tokenRequests.filter((r) => r.form.get('grant_type') === 'refresh_token'),
    ).toHaveLength(0)
    // Discovery is back: the same session refreshes.
    const healthy = makeClient(server, { clientId, now: c.now })
    expect(await healthy.getAccessToken()).toMatch(/^at-/)
  })

  test('an app listener that throws does not turn a good refresh into a logout', async () => {
    const { auth, clock: c } = await loggedIn()
    const surfaced: unknown[] = []
    // The listeners' exceptions are rethrown asynchronously; collect them instead.
    const spy = vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((fn) => {
      try {
        fn()
      } catch (e) {
        surfaced.push(e)
      }
    })
    auth.on('tokenRefreshed', () => {
      throw new Error('bug in the app')
    })
    auth.subscribe(() => {
      throw new Error('another bug in the app')
    })
    c.advance(3600_000)
    const token = await auth.getAccessToken()
    expect(token).toMatch(/^at-/)
    expect(auth.getState().status).toBe('authenticated')
    spy.mockRestore()
    expect(surfaced.map((e) => (e as Error).message)).toContain('bug in the app')
  })

  test('a burst of 401s for the same token causes one refresh, not one per response', async () => {
    const server = new FakeServer()
    const { auth } = await loggedIn(server, { allowedOrigins: ['https://api.example'] })
    const before = server.tokenRequests.length
    // Every request made with the first token is rejected; later tokens work.
    const firstToken = (await auth.getAccessToken())!
    // The five 401s arrive one after another, the later ones after the first refresh finished.
    for (let i = 0; i < 5; i++) {
      server.apiReplies.push(async (req) => {
        if (!req.headers.get('authorization')?.endsWith(firstToken)) return json({ ok: true })
        await settle(i * 30)
        return json({}, 401, { 'www-authenticate': 'Bearer error="invalid_token"' })
      })
    }
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => auth.fetch('https://api.example/x')),
    )
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
    expect(server.tokenRequests.length - before).toBe(1)
  })

  test('destroy() during a refresh still stores the rotated refresh token', async () => {
    const server = new FakeServer()
    const c = clock()
    const clientId = uniqueClientId('destroy')
    const auth = makeClient(server, { clientId, now: c.now })
    await loginFlow(auth, server)
    c.advance(3600_000)
    const pending = auth.getAccessToken()
    auth.destroy()
    await pending.catch(() => undefined)
    await settle(20)
    // A new client (a remount) uses the rotated refresh token without being logged out.
    const again = makeClient(server, { clientId, now: c.now })
    await again.ready
    c.advance(3600_000)
    expect(await again.getAccessToken()).toMatch(/^at-/)
    expect(again.getState().status).toBe('authenticated')
  })
})

describe('DPoP nonces at the token endpoint', () => {
  async function dpopSession() {
    const server = new FakeServer()
    const c = clock()
    const auth = makeClient(server, { dpop, now: c.now })
    await loginFlow(auth, server)
    return { server, auth, clock: c }
  }

  test('asked twice in a row on refresh: DPoPError, the session is kept', async () => {
    const { server, auth, clock: c } = await dpopSession()
    const nonce = (n: string) => () => oauthError('use_dpop_nonce', 400, {}, { 'DPoP-Nonce': n })
    server.tokenReplies.push(nonce('a'), nonce('b'))
    c.advance(3600_000)
    const err = await errorOf(auth.getAccessToken())
    expect(err).toBeInstanceOf(DPoPError)
    expect(auth.getState().status).toBe('authenticated')
  })

  test('a nonce the browser cannot read (no exposed DPoP-Nonce): one request, a CORS hint', async () => {
    const { server, auth, clock: c } = await dpopSession()
    server.tokenReplies.push(() => oauthError('use_dpop_nonce', 400))
    const before = server.tokenRequests.length
    c.advance(3600_000)
    const err = (await errorOf(auth.getAccessToken())) as Error
    expect(err).toBeInstanceOf(DPoPError)
    expect(err.message).toContain('Access-Control-Expose-Headers')
    expect(server.tokenRequests.length - before).toBe(1)
    expect(auth.getState().status).toBe('authenticated')
  })
})

describe('automatic refresh after a failure that keeps the session', () => {
  test('is tried again with backoff, not abandoned', async () => {
    const server = new FakeServer()
    const c = clock()
    const t = timers()
    const auth = makeClient(server, { dpop, autoRefresh: true, now: c.now, ...t })
    await loginFlow(auth, server)
    const nonce = (n: string) => () => oauthError('use_dpop_nonce', 400, {}, { 'DPoP-Nonce': n })
    server.tokenReplies.push(nonce('a'), nonce('b'))
    c.advance(3600_000)
    for (const timer of t.active()) t.fire(timer)
    await vi.waitFor(() => expect(auth.getState().error).toBeInstanceOf(DPoPError))
    expect(auth.getState().status).toBe('authenticated')
    const retry = t.active().at(-1)
    expect(retry?.ms).toBe(5000)
    c.advance(5000)
    t.fire(retry!)
    await vi.waitFor(() => expect(auth.getState().error).toBeNull())
    expect(await auth.getAccessToken()).toMatch(/^at-/)
  })
})
