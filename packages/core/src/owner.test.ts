import { describe, expect, test, vi } from 'vitest'
import {
  ConfigurationError,
  dpop,
  LoginRequiredError,
  memoryStore,
  NetworkError,
  type AuthClient,
  type TokenStore,
} from './index.js'
import { internals } from './internals.js'
import { waitForPopup } from './popup.js'
import { resolveConfig } from './config.js'
import { b64uJson, decodeJwt, deferred, FakeServer, oauthError } from './test/fake-server.js'
import {
  clock,
  errorOf,
  idb,
  loginFlow,
  makeClient,
  popupLoginFlow,
  rewriteIdToken,
  settle,
  timers,
  uniqueClientId,
  until,
  type ClientOptions,
} from './test/helpers.js'

// Regression tests for the session owner (issue 7): each failed on the code before it.

const HOUR = 3600_000
const API = 'https://api.example'

async function loggedIn(options: ClientOptions = {}, server = new FakeServer()) {
  const c = clock()
  const clientId = options.clientId ?? uniqueClientId('owner')
  const auth = makeClient(server, { now: c.now, clientId, ...options })
  await loginFlow(auth, server)
  const stored = () =>
    idb.get(server.issuer, clientId, 'session') as Promise<Record<string, unknown> | undefined>
  return { server, auth, clock: c, clientId, stored }
}

describe('logout clears locally first (bug 1)', () => {
  test('with a revocation endpoint that hangs: no token here at once, nothing stored, other tabs out', async () => {
    const { server, auth, clientId, clock: c } = await loggedIn({ dpop })
    const other = makeClient(server, { clientId, now: c.now, dpop })
    await other.ready
    expect(other.getState().status).toBe('authenticated')
    await auth.login() // a pending login transaction
    server.revocationReplies.push(() => new Promise<Response>(() => {}))

    const done = auth.logout()
    // Same tick: this tab hands out nothing.
    expect(auth.getState().status).toBe('unauthenticated')
    await expect(auth.getAccessToken()).rejects.toBeInstanceOf(LoginRequiredError)
    // Moments later, while revocation still hangs: every record is gone, the other tab is out.
    await until(() => other.getState().status === 'unauthenticated', 3000)
    const keys = await idb.keys(server.issuer, clientId)
    expect(keys).not.toContain('session')
    expect(keys).not.toContain('dpop')
    expect(keys.filter((k) => k.startsWith('tx:'))).toEqual([])
    await until(() => server.sent('revocation_endpoint').length > 0)
    void done
  })

  test('revocations run in parallel, then the RP-initiated logout', async () => {
    const { server, auth } = await loggedIn()
    await auth.getAccessToken({ resource: API }) // a second access token to revoke
    const gates = [deferred(), deferred(), deferred()]
    for (const g of gates) server.revocationReplies.push(g.reply)
    const done = auth.logout()
    await Promise.all(gates.map((g) => g.started)) // all three in flight at once
    expect(server.navigations.filter((u) => u.includes('/logout'))).toHaveLength(0)
    gates.forEach((g) => g.release())
    await done
    expect(server.lastNavigation().pathname).toBe('/logout')
  })

  test('unsupported_token_type (a server that does not revoke access tokens) is no error', async () => {
    const { server, auth } = await loggedIn()
    server.revocationReplies.push(
      () => new Response(null, { status: 200 }),
      () => oauthError('unsupported_token_type'),
    )
    const errors: unknown[] = []
    auth.on('error', (e) => errors.push(e))
    await auth.logout()
    expect(errors).toEqual([])
    expect(auth.getState().error).toBeNull()
  })
})

describe('a refused refresh ends the session under the lock, only if still stored (bug 2)', () => {
  test('a new login in another tab, written while the refused one ends, survives', async () => {
    const server = new FakeServer()
    const clientId = uniqueClientId('cas')
    const shared = memoryStore()
    // Deletes that land late (a busy store): the end must not wipe what was written meanwhile.
    const slowDeletes: TokenStore = {
      ...shared,
      del: async (k) => {
        await settle(100)
        return shared.del(k)
      },
    }
    const ca = clock()
    const a = makeClient(server, { clientId, now: ca.now, storage: slowDeletes })
    await loginFlow(a, server)
    const b = makeClient(server, { clientId, storage: shared })
    await b.ready
    server.tokenReplies.push(() => oauthError('invalid_grant'))
    ca.advance(HOUR)
    const refused = errorOf(a.getAccessToken())
    const relogin = loginFlow(b, server)
    expect(await refused).toBeInstanceOf(LoginRequiredError)
    await relogin
    await settle(200)
    const stored = (await shared.get('session')) as { refreshToken?: string } | undefined
    expect(stored?.refreshToken).toBeDefined()
    expect(b.getState().status).toBe('authenticated')
  })
})

describe('a tab that fell back to memory keeps its traffic apart (bug 3)', () => {
  const failing: TokenStore = {
    get: () => Promise.reject(new DOMException('blocked', 'InvalidStateError')),
    set: () => Promise.reject(new DOMException('quota', 'QuotaExceededError')),
    del: () => Promise.reject(new Error('nope')),
    keys: () => Promise.reject(new Error('nope')),
    update: () => Promise.reject(new Error('nope')),
  }

  test('its logout does not end healthy tabs, and theirs does not end its session', async () => {
    const { server, auth: healthy, clientId, stored } = await loggedIn()
    const fallen = makeClient(server, { clientId, storage: failing })
    await fallen.ready
    expect(fallen.getState().storage.type).toBe('memory')
    await popupLoginFlow(fallen, server)
    expect(fallen.getState().status).toBe('authenticated')

    await fallen.logout({ localOnly: true })
    await settle(50)
    expect(healthy.getState().status).toBe('authenticated')
    expect(await stored()).toBeDefined()

    await popupLoginFlow(fallen, server)
    await healthy.logout({ localOnly: true })
    await settle(50)
    expect(fallen.getState().status).toBe('authenticated')
  })
})

describe('backoff for every caller (bug 4)', () => {
  test('503 Retry-After: 5 → on-demand calls and auth.fetch send nothing for 5 s, then recover', async () => {
    const { server, auth, clock: c } = await loggedIn({ allowedOrigins: [API] })
    c.advance(HOUR)
    server.tokenReplies.push(
      () => new Response('down', { status: 503, headers: { 'retry-after': '5' } }),
    )
    const first = await errorOf(auth.getAccessToken())
    expect(first).toMatchObject({ status: 503, retryAfter: 5 })
    const before = server.requests.length
    // A UI polling four times a second for four seconds.
    for (let i = 0; i < 16; i++) {
      c.advance(250)
      expect(await errorOf(auth.getAccessToken())).toBe(first)
      expect(await errorOf(auth.fetch(`${API}/notes`))).toBe(first)
    }
    expect(server.requests.length).toBe(before)
    expect(auth.getState().status).toBe('authenticated')
    c.advance(1000)
    expect(await auth.getAccessToken()).toMatch(/^at-/)
    expect(server.tokenRequests).toHaveLength(3)
  })

  test('the background timer waits out the same window', async () => {
    const t = timers()
    const { server, auth, clock: c } = await loggedIn({ autoRefresh: true, ...t })
    c.advance(HOUR)
    server.tokenReplies.push(
      () => new Response('down', { status: 503, headers: { 'retry-after': '30' } }),
    )
    await errorOf(auth.getAccessToken())
    const [retry] = t.active()
    expect(retry?.ms).toBe(30_000)
  })

  test('the decision caps Retry-After', async () => {
    const { server, auth, clock: c } = await loggedIn()
    c.advance(HOUR)
    server.tokenReplies.push(
      () => new Response('down', { status: 429, headers: { 'retry-after': '86400' } }),
    )
    await errorOf(auth.getAccessToken())
    c.advance(300_000)
    expect(await auth.getAccessToken()).toMatch(/^at-/)
  })
})

describe('tokens keyed by resource and scope (bug 5)', () => {
  test('a token asked for with a scope never replaces the default one; two scopes do not churn', async () => {
    const { server, auth } = await loggedIn()
    const plain = await auth.getAccessToken()
    const write = await auth.getAccessToken({ scope: 'write' })
    const admin = await auth.getAccessToken({ scope: 'admin' })
    expect(new Set([plain, write, admin]).size).toBe(3)
    const requests = server.tokenRequests.length
    for (let i = 0; i < 3; i++) {
      expect(await auth.getAccessToken()).toBe(plain)
      expect(await auth.getAccessToken({ scope: 'write' })).toBe(write)
      expect(await auth.getAccessToken({ scope: 'admin' })).toBe(admin)
    }
    expect(server.tokenRequests).toHaveLength(requests)
  })

  test('an allowedOrigins entry with a scope leaves plain calls their default token', async () => {
    const { server, auth } = await loggedIn({
      allowedOrigins: [API, { url: `${API}/admin`, scope: 'admin' }],
    })
    await auth.fetch(`${API}/admin/users`)
    await auth.fetch(`${API}/notes`)
    const [admin, plain] = server.sent(API).map((r) => r.headers.get('authorization'))
    expect(admin).not.toBe(plain)
    expect(plain).toBe(`Bearer ${await auth.getAccessToken()}`)
  })
})

describe('metadata endpoints are checked before use (bug 6)', () => {
  test.each([
    ['authorization_endpoint', 'javascript:alert(1)'],
    ['authorization_endpoint', 'http://as.example/authorize'],
    ['token_endpoint', 'http://as.example/token'],
  ])('%s %s → ConfigurationError, no navigation', async (name, value) => {
    const server = new FakeServer({ metadata: { [name]: value } })
    const auth = makeClient(server)
    const err = await errorOf(auth.login())
    expect(err).toBeInstanceOf(ConfigurationError)
    expect((err as Error).message).toContain(name)
    expect(server.navigations).toEqual([])
  })

  test('a loopback http issuer may use loopback http endpoints', async () => {
    const server = new FakeServer({ issuer: 'http://localhost:9000' })
    const auth = makeClient(server)
    await loginFlow(auth, server)
    expect(auth.getState().status).toBe('authenticated')
  })
})

describe('the server clock, and DPoP trouble never ends a session (bug 7)', () => {
  // A server whose clock is `seconds` ahead of the device's.
  const skewed = (server: FakeServer, seconds: number) =>
    rewriteIdToken(server, (header, claims) => {
      const iat = Math.floor(Date.now() / 1000) + seconds
      return `${b64uJson(header)}.${b64uJson({ ...claims, iat, exp: iat + 600 })}.sig`
    })

  test.each([600, -600])(
    'a server clock %i s off: login works and DPoP proofs use its clock',
    async (seconds) => {
      const server = new FakeServer()
      const auth = makeClient(server, { dpop, fetch: skewed(server, seconds) })
      await loginFlow(auth, server)
      expect(auth.getState().status).toBe('authenticated')
      await auth.getAccessToken({ resource: API }) // a refresh, with a proof
      const proof = server.tokenRequests.at(-1)!.headers.get('dpop')!
      const iat = decodeJwt(proof).payload.iat as number
      expect(Math.abs(iat - (Date.now() / 1000 + seconds))).toBeLessThan(5)
    },
  )

  test('invalid_dpop_proof on refresh keeps the session (in every tab)', async () => {
    const { server, auth, clock: c } = await loggedIn({ dpop })
    server.tokenReplies.push(() => oauthError('invalid_dpop_proof'))
    c.advance(HOUR)
    await errorOf(auth.getAccessToken())
    expect(auth.getState().status).toBe('authenticated')
    c.advance(5000)
    expect(await auth.getAccessToken()).toMatch(/^at-/)
  })
})

describe('blocked silent renewal and popups end (bug 8)', () => {
  test('silent renewal that keeps timing out becomes LoginRequiredError after 3 tries', async () => {
    const server = new FakeServer()
    server.tokenReplies.push((req, s) => s.issue(req, { refresh_token: undefined }))
    const { auth, clock: c } = await loggedIn({ timeout: 30 }, server)
    c.advance(HOUR)
    const errors: unknown[] = []
    for (let i = 0; i < 3; i++) {
      errors.push(await errorOf(auth.getAccessToken()))
      c.advance(HOUR)
    }
    expect(errors.slice(0, 2).every((e) => e instanceof NetworkError)).toBe(true)
    expect(errors[2]).toBeInstanceOf(LoginRequiredError)
    expect((errors[2] as LoginRequiredError).reason).toBe('silent_renewal_blocked')
    expect(auth.getState().status).toBe('unauthenticated')
    document.querySelectorAll('iframe').forEach((f) => f.remove())
  })

  test('a login popup left open ends with a TimeoutError', async () => {
    vi.useFakeTimers()
    try {
      const popup = { closed: false, location: { href: 'about:blank' }, close: vi.fn() }
      const cfg = resolveConfig({
        issuer: 'https://as.example',
        clientId: 'c',
        redirectUri: 'http://localhost:5173/cb',
        popupTimeout: 1,
      })
      const wait = errorOf(
        waitForPopup(cfg, popup as unknown as Window, 'p.s', 'http://localhost:5173/cb'),
      )
      await vi.advanceTimersByTimeAsync(1200)
      expect(await wait).toMatchObject({ code: 'timeout' })
      expect(popup.close).toHaveBeenCalled()
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('every option is checked at creation (bug 9)', () => {
  const create = (patch: Record<string, unknown>) => () =>
    makeClient(new FakeServer(), patch as ClientOptions)

  test.each([
    [{ dpop: true }, /dpop.*import \{ dpop/s],
    [{ allowedOrigins: 'https://api.example.com' }, /allowedOrigins.*array/],
    [{ timeout: '10000' }, /timeout.*number/],
    [{ leeway: -1 }, /leeway/],
    [{ autoRefresh: 'yes' }, /autoRefresh/],
    [{ extraParams: { prompt: 1 } }, /extraParams/],
    [{ storage: { get() {}, set() {} } }, /storage.*update/],
    [{ storage: 'localStorage' }, /storage/],
    [{ allowedOrigins: [null] }, /allowedOrigins/],
  ])('%o → ConfigurationError naming it', (patch, message) => {
    expect(create(patch)).toThrow(ConfigurationError)
    expect(create(patch)).toThrow(message)
  })

  test('a programming error is never reported as a network error', async () => {
    const server = new FakeServer()
    const auth = makeClient(server, {
      fetch: () => {
        throw new TypeError('boom is not a function')
      },
    })
    const err = await errorOf(auth.login())
    expect(err).toBeInstanceOf(NetworkError) // it came from fetch: the network layer
    const broken = makeClient(server, {
      now: () => {
        throw new TypeError('clock is not a function')
      },
    })
    await broken.ready
    const err2 = await errorOf(broken.getAccessToken())
    expect(err2).not.toBeInstanceOf(NetworkError)
  })
})

describe('auth.fetch and a custom store (bug 10)', () => {
  test('auth.fetch racing a logout rejects with LoginRequiredError, never a TypeError', async () => {
    for (let delay = 0; delay < 6; delay++) {
      const { auth } = await loggedIn({ allowedOrigins: [API] })
      const f = auth.fetch(`${API}/notes`).then(
        () => 'sent',
        (e: unknown) => e,
      )
      await settle(delay)
      await auth.logout({ localOnly: true })
      const out = await f
      if (out !== 'sent') expect(out).toBeInstanceOf(LoginRequiredError)
    }
  })

  test('the internal token lookup after logout is a LoginRequiredError', async () => {
    const { auth } = await loggedIn()
    await auth.logout({ localOnly: true })
    const it = internals.get(auth as AuthClient)!
    await expect(it.token({})).rejects.toBeInstanceOf(LoginRequiredError)
    await expect(it.token({ stale: 'x' })).rejects.toBeInstanceOf(LoginRequiredError)
  })

  test('a custom TokenStore must have update(): a login transaction is taken atomically', () => {
    const { update: _u, ...noUpdate } = memoryStore()
    expect(() => makeClient(new FakeServer(), { storage: noUpdate as TokenStore })).toThrow(
      /update/,
    )
  })
})
