import { describe, expect, test } from 'vitest'
import { LoginRequiredError, NetworkError, OAuthError } from './index.js'
import type { AuthClient } from './index.js'
import { deferred, FakeServer, idToken, json, networkDown, oauthError } from './test/fake-server.js'
import type { Reply } from './test/fake-server.js'
import {
  clock,
  errorOf,
  idb,
  loginFlow,
  makeClient,
  settle,
  timers,
  uniqueClientId,
} from './test/helpers.js'
import type { ClientOptions } from './test/helpers.js'

const HOUR = 3600_000
const MAX_TIMER = 2 ** 31 - 1

async function loggedIn(options: ClientOptions = {}, server = new FakeServer()) {
  const c = clock()
  const clientId = options.clientId ?? uniqueClientId()
  const auth = makeClient(server, { now: c.now, clientId, ...options })
  await loginFlow(auth, server)
  const stored = () =>
    idb.get(server.issuer, clientId, 'session') as Promise<Record<string, unknown> | undefined>
  return { server, auth, clock: c, clientId, stored }
}

const expire = (c: ReturnType<typeof clock>) => c.advance(HOUR)

describe('session restore', () => {
  test('a new client restores the session from IndexedDB with zero requests', async () => {
    const { server, auth, clientId } = await loggedIn()
    const token = await auth.getAccessToken()
    server.requests.length = 0
    const next = makeClient(server, { clientId })
    expect(next.getState().status).toBe('loading')
    await next.ready
    expect(next.getState()).toMatchObject({ status: 'authenticated', user: { sub: 'user-1' } })
    expect(await next.getAccessToken()).toBe(token)
    expect(server.requests).toHaveLength(0)
  })

  test('a new client refreshing uses the cached discovery document', async () => {
    const { server, clientId, clock: c } = await loggedIn()
    server.requests.length = 0
    const next = makeClient(server, { clientId, now: c.now })
    c.advance(HOUR - 30_000) // inside the token's leeway, within the discovery TTL (1 h)
    await next.getAccessToken()
    expect(server.requests.map((r) => r.url)).toEqual(['https://as.example/token'])
  })

  test.each([
    ['wrong shape', (s: Record<string, unknown>) => ({ ...s, tokens: 'nope' })],
    [
      'another namespace',
      (s: Record<string, unknown>) => ({ ...s, ns: 'https://other.example|x' }),
    ],
    ['schema v2', (s: Record<string, unknown>) => ({ ...s, v: 2 })],
    ['no user', (s: Record<string, unknown>) => ({ ...s, user: null })],
    ['a string', () => 'garbage'],
    ['a numeric refresh token', (s: Record<string, unknown>) => ({ ...s, refreshToken: 42 })],
  ])('a stored session with %s is discarded cleanly', async (_name, corrupt) => {
    const { server, clientId, stored } = await loggedIn()
    await idb.set(server.issuer, clientId, 'session', corrupt((await stored())!))
    const next = makeClient(server, { clientId })
    await next.ready
    expect(next.getState()).toMatchObject({ status: 'unauthenticated', user: null })
    await expect(next.getAccessToken()).rejects.toBeInstanceOf(LoginRequiredError)
  })

  test('the sanity of the corruption test: an untouched copy is restored', async () => {
    const { server, clientId, stored } = await loggedIn()
    await idb.set(server.issuer, clientId, 'session', { ...(await stored())! })
    const next = makeClient(server, { clientId })
    await next.ready
    expect(next.getState().status).toBe('authenticated')
  })
})

describe('getAccessToken()', () => {
  test('not logged in → LoginRequiredError, no request', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    await expect(auth.getAccessToken()).rejects.toBeInstanceOf(LoginRequiredError)
    expect(server.requests).toHaveLength(0)
  })

  test('the cached token is returned while fresh, leeway honoured', async () => {
    const { server, auth, clock: c } = await loggedIn({ leeway: 60 })
    const first = await auth.getAccessToken()
    c.advance(HOUR - 61_000)
    expect(await auth.getAccessToken()).toBe(first)
    expect(server.tokenRequests).toHaveLength(1)
    c.advance(2_000) // now inside the leeway
    const second = await auth.getAccessToken()
    expect(second).not.toBe(first)
    expect(server.tokenRequests).toHaveLength(2)
    expect(server.tokenRequests[1]!.form.get('grant_type')).toBe('refresh_token')
  })

  test('an expired token is refreshed with the stored refresh token', async () => {
    const { server, auth, clock: c, stored } = await loggedIn()
    const rt = (await stored())!.refreshToken
    expire(c)
    await auth.getAccessToken()
    expect(server.tokenRequests[1]!.form.get('refresh_token')).toBe(rt)
  })

  test('10 concurrent calls → exactly one refresh request, same token for all', async () => {
    const { server, auth, clock: c } = await loggedIn()
    expire(c)
    const tokens = await Promise.all(Array.from({ length: 10 }, () => auth.getAccessToken()))
    expect(server.tokenRequests).toHaveLength(2)
    expect(new Set(tokens).size).toBe(1)
  })

  test('10 concurrent calls on a memory client → exactly one refresh request', async () => {
    const { server, auth, clock: c } = await loggedIn({ storage: 'memory' })
    expire(c)
    const tokens = await Promise.all(Array.from({ length: 10 }, () => auth.getAccessToken()))
    expect(server.tokenRequests).toHaveLength(2)
    expect(new Set(tokens).size).toBe(1)
  })

  test('rotation: the new refresh token is stored and used next time', async () => {
    const { server, auth, clock: c, stored, clientId } = await loggedIn()
    const rt1 = (await stored())!.refreshToken
    expire(c)
    await auth.getAccessToken()
    const rt2 = (await stored())!.refreshToken
    expect(rt2).not.toBe(rt1)
    expect(rt2).toMatch(/^rt-/)
    // A reloaded page uses the rotated token.
    const next = makeClient(server, { clientId, now: c.now })
    expire(c)
    await next.getAccessToken()
    expect(server.tokenRequests.at(-1)!.form.get('refresh_token')).toBe(rt2)
  })

  test('a refresh response without refresh_token keeps the old one', async () => {
    const { server, auth, clock: c, stored } = await loggedIn()
    const rt1 = (await stored())!.refreshToken as string
    server.tokenReplies.push((req, s) => s.issue(req, { refresh_token: undefined }))
    expire(c)
    await auth.getAccessToken()
    expect(server.tokenRequests).toHaveLength(2)
    expect((await stored())!.refreshToken).toBe(rt1)
    server.liveRefreshTokens.add(rt1) // this server does not rotate
    expire(c)
    await auth.getAccessToken()
    expect(server.tokenRequests.at(-1)!.form.get('refresh_token')).toBe(rt1)
  })

  const endedCases: [string, Reply][] = [
    ['invalid_grant', () => oauthError('invalid_grant', 400, { error_description: 'revoked' })],
    ['invalid_request', () => oauthError('invalid_request')],
    ['an empty 400', () => new Response(null, { status: 400 })],
    [
      'an HTML 401',
      () =>
        new Response('<html>no</html>', { status: 401, headers: { 'content-type': 'text/html' } }),
    ],
    ['unauthorized_client 400', () => oauthError('unauthorized_client')],
  ]
  test.each(endedCases)(
    '%s → session ended: unauthenticated, LoginRequiredError, storage cleared, event',
    async (_n, reply) => {
      const { server, auth, clock: c, stored } = await loggedIn()
      const ended: unknown[] = []
      auth.on('sessionEnded', (e) => ended.push(e))
      server.tokenReplies.push(reply)
      expire(c)
      const err = await errorOf(auth.getAccessToken())
      expect(err).toBeInstanceOf(LoginRequiredError)
      expect(auth.getState().status).toBe('unauthenticated')
      expect(await stored()).toBeUndefined()
      expect(ended).toEqual([expect.objectContaining({ reason: 'expired' })])
      // No loop: the next call fails without another request.
      await expect(auth.getAccessToken()).rejects.toBeInstanceOf(LoginRequiredError)
      expect(server.tokenRequests).toHaveLength(2)
    },
  )

  const transientCases: [string, Reply][] = [
    ['a network error', networkDown],
    ['503', () => new Response('down', { status: 503, headers: { 'retry-after': '30' } })],
    ['429', () => oauthError('slow_down', 429)],
    ['500 JSON', () => oauthError('server_error', 500)],
    ['408', () => new Response(null, { status: 408 })],
  ]
  test.each(transientCases)(
    '%s → session kept, NetworkError, calls inside the backoff window send nothing, a later call succeeds',
    async (_n, reply) => {
      const { server, auth, clock: c, stored } = await loggedIn()
      const rt = (await stored())!.refreshToken
      server.tokenReplies.push(reply)
      expire(c)
      const err = await errorOf(auth.getAccessToken())
      expect(err).toBeInstanceOf(NetworkError)
      expect(auth.getState().status).toBe('authenticated')
      expect((await stored())!.refreshToken).toBe(rt)
      // Inside the window: the same error at once, no request.
      expect(await errorOf(auth.getAccessToken())).toBe(err)
      expect(server.tokenRequests).toHaveLength(2)
      c.advance(((err as NetworkError).retryAfter ?? 5) * 1000)
      const token = await auth.getAccessToken()
      expect(token).toMatch(/^at-/)
      expect(server.tokenRequests).toHaveLength(3)
      expect(server.tokenRequests[2]!.form.get('refresh_token')).toBe(rt)
    },
  )

  test('503 with Retry-After exposes retryAfter', async () => {
    const { server, auth, clock: c } = await loggedIn()
    server.tokenReplies.push(
      () => new Response('down', { status: 503, headers: { 'retry-after': '30' } }),
    )
    expire(c)
    expect(await errorOf(auth.getAccessToken())).toMatchObject({ status: 503, retryAfter: 30 })
  })

  test.each([[0], [-5], [undefined], [1e12], ['3600']])(
    'expires_in %s at login: no refresh storm and no timer beyond 2^31-1 ms',
    async (expiresIn) => {
      const server = new FakeServer()
      server.tokenReplies.push((req, s) => s.issue(req, { expires_in: expiresIn }))
      const t = timers()
      const c = clock()
      const auth = makeClient(server, { now: c.now, autoRefresh: true, storage: 'memory', ...t })
      const login = loginFlow(auth, server)
      if (typeof expiresIn === 'number' && expiresIn < 0) {
        // A negative lifetime is a malformed response: refused, nothing kept.
        await expect(login).rejects.toBeTruthy()
        expect(auth.getState().status).toBe('unauthenticated')
        return
      }
      await login
      await auth.getAccessToken()
      await auth.getAccessToken()
      expect(server.tokenRequests).toHaveLength(1)
      expect(t.active()).toHaveLength(1)
      for (const timer of t.all) {
        expect(timer.ms).toBeGreaterThanOrEqual(1000)
        expect(timer.ms).toBeLessThanOrEqual(MAX_TIMER)
      }
    },
  )

  test.each([[0], [-5], [undefined], [1e12]])(
    'expires_in %s on refresh: no storm',
    async (expiresIn) => {
      const { server, auth, clock: c } = await loggedIn({ storage: 'memory' })
      server.tokenReplies.push((req, s) => s.issue(req, { expires_in: expiresIn }))
      expire(c)
      await auth.getAccessToken().catch(() => {})
      await auth.getAccessToken().catch(() => {})
      await auth.getAccessToken().catch(() => {})
      expect(server.tokenRequests).toHaveLength(2)
    },
  )

  test('a refreshed ID token for another sub ends the session', async () => {
    const { server, auth, clock: c, stored } = await loggedIn()
    const ended: unknown[] = []
    auth.on('sessionEnded', (e) => ended.push(e))
    server.sub = 'someone-else'
    expire(c)
    const err = await errorOf(auth.getAccessToken())
    expect(err).toBeInstanceOf(LoginRequiredError)
    expect((err as LoginRequiredError).reason).toBe('identity_changed')
    expect(auth.getState().status).toBe('unauthenticated')
    expect(await stored()).toBeUndefined()
    expect(ended).toHaveLength(1)
  })

  test('a refreshed ID token for the same user updates the claims and keeps the session', async () => {
    const { server, auth, clock: c } = await loggedIn()
    server.tokenReplies.push(async (req, s) => {
      const body = (await (await s.issue(req)).json()) as Record<string, unknown>
      const now = Math.floor(Date.now() / 1000)
      body.id_token = idToken({
        iss: s.issuer,
        aud: req.form.get('client_id'),
        sub: 'user-1',
        iat: now,
        exp: now + 60,
        name: 'Ada L.',
      })
      return json(body)
    })
    expire(c)
    await auth.getAccessToken()
    expect(auth.getState()).toMatchObject({
      status: 'authenticated',
      user: { sub: 'user-1', name: 'Ada L.' },
    })
  })

  test('a refresh that completes after logout() is discarded', async () => {
    const { server, auth, clock: c, stored } = await loggedIn()
    const gate = deferred()
    server.tokenReplies.push(gate.reply)
    expire(c)
    const pending = errorOf(auth.getAccessToken())
    await gate.started
    const out = auth.logout({ localOnly: true })
    await settle(20)
    gate.release()
    await out
    expect(await pending).toBeInstanceOf(LoginRequiredError)
    await settle(20)
    expect(await stored()).toBeUndefined()
    expect(auth.getState().status).toBe('unauthenticated')
  })

  test('a refresh that completes after logout() is discarded (memory storage)', async () => {
    const { server, auth, clock: c } = await loggedIn({ storage: 'memory' })
    const gate = deferred()
    server.tokenReplies.push(gate.reply)
    expire(c)
    const pending = errorOf(auth.getAccessToken())
    await gate.started
    await auth.logout({ localOnly: true })
    const revokedBefore = server.sent('revocation_endpoint').map((r) => r.form.get('token'))
    gate.release()
    expect(await pending).toBeInstanceOf(LoginRequiredError)
    await settle(10)
    expect(auth.getState().status).toBe('unauthenticated')
    await expect(auth.getAccessToken()).rejects.toBeInstanceOf(LoginRequiredError)
    // The tokens of the discarded answer are revoked too: nothing live is left behind.
    const revokedAfter = server.sent('revocation_endpoint').map((r) => r.form.get('token'))
    const late = revokedAfter.slice(revokedBefore.length)
    expect(late.some((t) => t?.startsWith('rt-'))).toBe(true)
    expect(late.some((t) => t?.startsWith('at-'))).toBe(true)
  })

  test('invalid_scope for a wider scope → LoginRequiredError with the scope, session kept', async () => {
    const { server, auth, stored } = await loggedIn()
    server.tokenReplies.push(() => oauthError('invalid_scope'))
    const err = await errorOf(auth.getAccessToken({ scope: 'admin' }))
    expect(err).toBeInstanceOf(LoginRequiredError)
    expect(err).toMatchObject({ reason: 'invalid_scope', scope: 'admin' })
    expect(server.tokenRequests.at(-1)!.form.get('scope')).toBe('admin')
    expect(auth.getState().status).toBe('authenticated')
    expect(await stored()).toBeDefined()
  })

  test('invalid_target for another API → OAuthError for that call, session and other tokens kept', async () => {
    const { server, auth, stored } = await loggedIn()
    const token = await auth.getAccessToken()
    server.tokenReplies.push(() => oauthError('invalid_target'))
    const err = await errorOf(auth.getAccessToken({ resource: 'https://unknown-api.example' }))
    expect(err).toBeInstanceOf(OAuthError)
    expect(err).toMatchObject({ error: 'invalid_target' })
    expect(auth.getState().status).toBe('authenticated')
    expect(await stored()).toBeDefined()
    expect(await auth.getAccessToken()).toBe(token)
  })

  test('forceRefresh skips the cache', async () => {
    const { server, auth } = await loggedIn()
    const first = await auth.getAccessToken()
    const second = await auth.getAccessToken({ forceRefresh: true })
    expect(second).not.toBe(first)
    expect(server.tokenRequests).toHaveLength(2)
  })

  test('a token for another resource is obtained by refresh with the resource parameter', async () => {
    const { server, auth } = await loggedIn()
    const api = await auth.getAccessToken({ resource: 'https://api2.example' })
    expect(server.tokenRequests[1]!.form.get('resource')).toBe('https://api2.example')
    expect(await auth.getAccessToken({ resource: 'https://api2.example' })).toBe(api)
    expect(server.tokenRequests).toHaveLength(2)
  })
})

describe('autoRefresh', () => {
  async function autoClient() {
    const t = timers()
    const r = await loggedIn({ autoRefresh: true, storage: 'memory', ...t })
    return { ...r, t }
  }
  const activeFor = (t: ReturnType<typeof timers>) => t.active().filter((x) => x.ms > 100)

  test('a timer refreshes before expiry', async () => {
    const { server, auth, clock: c, t } = await autoClient()
    const [timer] = activeFor(t)
    expect(timer).toBeDefined()
    expect(timer!.ms).toBe(HOUR - 60_000)
    const refreshed: unknown[] = []
    auth.on('tokenRefreshed', (e) => refreshed.push(e))
    c.advance(timer!.ms)
    t.fire(timer!)
    await until(() => refreshed.length === 1)
    expect(server.tokenRequests).toHaveLength(2)
    expect(activeFor(t)).toHaveLength(1)
  })

  test('a transient failure is retried with backoff, capped', async () => {
    const { server, clock: c, t } = await autoClient()
    for (let i = 0; i < 12; i++) server.tokenReplies.push(() => new Response(null, { status: 503 }))
    let timer = activeFor(t)[0]!
    const delays: number[] = []
    for (let i = 0; i < 10; i++) {
      c.advance(timer.ms)
      const before = server.tokenRequests.length
      t.fire(timer)
      await until(() => server.tokenRequests.length === before + 1 && activeFor(t).length === 1)
      timer = activeFor(t)[0]!
      delays.push(timer.ms)
    }
    expect(delays[1]).toBeGreaterThan(delays[0]!)
    expect(Math.max(...delays)).toBeLessThanOrEqual(300_000)
  })

  test('after destroy() no timer remains', async () => {
    const { auth, t } = await autoClient()
    expect(activeFor(t)).toHaveLength(1)
    auth.destroy()
    expect(t.active()).toHaveLength(0)
  })

  test('after logout() no timer remains', async () => {
    const { auth, t } = await autoClient()
    await auth.logout({ localOnly: true })
    expect(t.active()).toHaveLength(0)
  })

  test('autoRefresh: false sets no timer', async () => {
    const t = timers()
    await loggedIn({ autoRefresh: false, storage: 'memory', ...t })
    expect(t.active()).toHaveLength(0)
  })
})

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await settle(5)
  expect(check()).toBe(true)
}

export type { AuthClient }
