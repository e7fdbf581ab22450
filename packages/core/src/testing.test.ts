import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest'
import { AuthError, LoginRequiredError, NetworkError, type AuthClient } from './index.js'
import { createTestAuthClient, type TestAuthClient } from './testing.js'

afterEach(() => history.replaceState(null, '', '/'))

const record = (auth: TestAuthClient) => {
  const events: unknown[] = []
  auth.on('loggedIn', (p) => events.push(['loggedIn', p]))
  auth.on('sessionEnded', (p) => events.push(['sessionEnded', p]))
  auth.on('tokenRefreshed', (p) => events.push(['tokenRefreshed', p]))
  auth.on('error', (p) => events.push(['error', p.error.name]))
  return events
}

describe('createTestAuthClient', () => {
  it('is an AuthClient', () => {
    expectTypeOf(createTestAuthClient()).toExtend<AuthClient>()
  })

  it('starts signed out and ready, or signed in, or loading until the test decides', async () => {
    const out = createTestAuthClient()
    expect(out.getState()).toMatchObject({ status: 'unauthenticated', user: null, error: null })
    await out.ready

    const t0 = 1_000_000
    const inn = createTestAuthClient({
      user: { name: 'Ada' },
      token: 'tok',
      expiresIn: 60,
      now: () => t0,
    })
    expect(inn.getState()).toMatchObject({
      status: 'authenticated',
      user: { sub: 'test-user', name: 'Ada' },
      expiresAt: t0 + 60_000,
    })
    expect(await inn.getAccessToken()).toBe('tok')

    const loading = createTestAuthClient({ loading: true })
    expect(loading.getState().status).toBe('loading')
    const ready = vi.fn()
    void loading.ready.then(ready)
    const token = loading.getAccessToken()
    await Promise.resolve()
    expect(ready).not.toHaveBeenCalled()
    loading.signIn({ sub: 'u1' }, { token: 'late' })
    await expect(token).resolves.toBe('late')
    expect(ready).toHaveBeenCalled()
  })

  it('hands out one immutable snapshot, replaced only on a change, and notifies subscribers', () => {
    const auth = createTestAuthClient()
    const { getState, subscribe } = auth // unbound, as useSyncExternalStore calls them
    const listener = vi.fn()
    const unsubscribe = subscribe(listener)
    const first = getState()
    auth.signOut() // already signed out: nothing changes
    expect(getState()).toBe(first)
    expect(listener).not.toHaveBeenCalled()

    auth.signIn({ name: 'Ada' }, { token: 'a' })
    const second = getState()
    expect(second).not.toBe(first)
    expect(first.status).toBe('unauthenticated') // the old snapshot was not mutated
    expect(listener).toHaveBeenCalledTimes(1)
    unsubscribe()
    auth.signOut()
    expect(listener).toHaveBeenCalledTimes(1)
  })

  it('emits the events of the real client', async () => {
    const auth = createTestAuthClient({ now: () => 0 })
    const events = record(auth)
    auth.signIn({ sub: 'u1' }, { token: 'a' })
    auth.setToken('b', { expiresIn: 10 })
    expect(auth.getState().expiresAt).toBe(10_000)
    expect(await auth.getAccessToken()).toBe('b')
    auth.signOut('other_tab')
    expect(events).toEqual([
      ['loggedIn', { user: { sub: 'u1' } }],
      ['tokenRefreshed', { resource: '', expiresAt: 10_000 }],
      ['sessionEnded', { reason: 'other_tab' }],
    ])
    expect(() => auth.setToken('c')).toThrow(/signIn\(\)/)
  })

  it('refreshes expired tokens, forced ones and missing scopes, with new tokens', async () => {
    let now = 0
    const auth = createTestAuthClient({ now: () => now })
    const events = record(auth)
    auth.signIn({}, { token: 'first', expiresIn: 60, scope: 'read' })
    expect(await auth.getAccessToken()).toBe('first')
    now = 60_000
    const second = await auth.getAccessToken()
    expect(second).not.toBe('first')
    expect(auth.getState().expiresAt).toBe(now + 3_600_000)
    const third = await auth.getAccessToken({ forceRefresh: true })
    expect(third).not.toBe(second)
    const fourth = await auth.getAccessToken({ scope: 'write' })
    expect(fourth).not.toBe(third)
    expect(await auth.getAccessToken({ scope: 'read write' })).toBe(fourth)
    const other = await auth.getAccessToken({ resource: 'https://api2.example' })
    expect(other).not.toBe(fourth)
    expect(events.filter((e) => (e as string[])[0] === 'tokenRefreshed')).toHaveLength(4)
    expect(auth.calls.getAccessToken).toEqual([
      undefined,
      undefined,
      { forceRefresh: true },
      { scope: 'write' },
      { scope: 'read write' },
      { resource: 'https://api2.example' },
    ])
  })

  it('getAccessToken when signed out throws LoginRequiredError', async () => {
    const auth = createTestAuthClient()
    await expect(auth.getAccessToken()).rejects.toBeInstanceOf(LoginRequiredError)
  })

  it('failNextRefresh: by default ends the session like a refused refresh token', async () => {
    const auth = createTestAuthClient()
    const events = record(auth)
    auth.signIn({}, { token: 'a' })
    auth.failNextRefresh()
    expect(await auth.getAccessToken()).toBe('a') // no refresh needed: no failure yet
    const err = await auth.getAccessToken({ forceRefresh: true }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LoginRequiredError)
    expect(auth.getState()).toMatchObject({ status: 'unauthenticated', error: err })
    expect(events.at(-1)).toEqual(['sessionEnded', { reason: 'expired', error: err }])
  })

  it('failNextRefresh with a passing error keeps the session and reports it', async () => {
    const auth = createTestAuthClient()
    const events = record(auth)
    auth.signIn({}, { token: 'a' })
    const down = new NetworkError('The server is down.')
    auth.failNextRefresh(down)
    await expect(auth.getAccessToken({ forceRefresh: true })).rejects.toBe(down)
    expect(auth.getState()).toMatchObject({ status: 'authenticated', error: down })
    expect(events.at(-1)).toEqual(['error', 'NetworkError'])
    expect(await auth.getAccessToken({ forceRefresh: true })).toMatch(/^test-token-/)
    expect(auth.getState().error).toBeNull()
  })

  it('failNext makes the next call of one method fail, once', async () => {
    const auth = createTestAuthClient()
    const events = record(auth)
    const denied = new AuthError('Access denied.')
    auth.failNext('login', denied)
    await expect(auth.login({ returnTo: '/x' })).rejects.toBe(denied)
    expect(auth.getState().error).toBe(denied)
    expect(events).toEqual([['error', 'AuthError']])
    await expect(auth.login()).resolves.toBeUndefined()
    expect(auth.calls.login).toEqual([{ returnTo: '/x' }, undefined])

    auth.signIn()
    auth.failNext('getAccessToken')
    await expect(auth.getAccessToken()).rejects.toThrow(/getAccessToken\(\) failed/)
    expect(auth.getState().status).toBe('authenticated')

    auth.failNext('logout')
    await expect(auth.logout()).rejects.toBeInstanceOf(AuthError)
    // As the real client: a failed logout (say, revocation) still ends the session here.
    expect(auth.getState().status).toBe('unauthenticated')
  })

  it('logout ends the session and records its options', async () => {
    const auth = createTestAuthClient({ user: { sub: 'u' } })
    const events = record(auth)
    await auth.logout({ returnTo: '/bye' })
    expect(auth.getState()).toMatchObject({ status: 'unauthenticated', user: null, error: null })
    expect(auth.calls.logout).toEqual([{ returnTo: '/bye' }])
    expect(events).toEqual([['sessionEnded', { reason: 'logout' }]])
  })

  it('login with popup resolves with returnTo, redirect login with nothing', async () => {
    const auth = createTestAuthClient()
    await expect(auth.login({ popup: true, returnTo: '/p' })).resolves.toEqual({ returnTo: '/p' })
    await expect(auth.login()).resolves.toBeUndefined()
  })

  it('handles a callback: cleans the URL, signs in, returns to where login started, once', async () => {
    const auth = createTestAuthClient()
    await auth.login({ returnTo: '/notes?x=1' })
    history.replaceState(null, '', '/callback?code=c&state=s1&iss=x')
    expect(auth.isCallback()).toBe(true)
    expect(auth.isCallback('http://localhost/callback?state=s&error=access_denied')).toBe(true)
    expect(auth.isCallback('http://localhost/?code=c')).toBe(false)
    const first = auth.handleRedirectCallback()
    expect(location.search).toBe('')
    const again = auth.handleRedirectCallback() // StrictMode's second effect
    expect(again).toBe(first)
    await expect(first).resolves.toEqual({ returnTo: '/notes?x=1' })
    expect(auth.getState()).toMatchObject({ status: 'authenticated', user: { sub: 'test-user' } })
    expect(auth.calls.handleRedirectCallback).toEqual([undefined, undefined])
  })

  it('a failed callback is reported; a page without a response is refused', async () => {
    const auth = createTestAuthClient()
    auth.failNext('handleRedirectCallback')
    await expect(
      auth.handleRedirectCallback('http://localhost/callback?code=c&state=s'),
    ).rejects.toBeInstanceOf(AuthError)
    expect(auth.getState().error).toBeInstanceOf(AuthError)
    expect(auth.getState().status).toBe('unauthenticated')
    const fresh = createTestAuthClient()
    await expect(fresh.handleRedirectCallback('http://localhost/')).rejects.toMatchObject({
      reason: 'no_response',
    })
  })

  describe('fetch', () => {
    const setup = () => {
      const base = vi.fn<typeof fetch>(async () => new Response('ok'))
      const auth = createTestAuthClient({
        user: { sub: 'u' },
        token: 'tok',
        allowedOrigins: [
          'https://api.example',
          { url: 'https://other.example/v2/', resource: 'r2' },
        ],
        fetch: base,
      })
      const sent = (i: number) => base.mock.calls[i]![0] as Request
      return { auth, base, sent }
    }

    it('adds the token for allowed origins only', async () => {
      const { auth, sent } = setup()
      await auth.fetch('https://api.example/me', { method: 'POST', body: 'x' })
      expect(sent(0).headers.get('authorization')).toBe('Bearer tok')
      expect(sent(0).method).toBe('POST')
      expect(await sent(0).text()).toBe('x')
      expect(sent(0).redirect).toBe('manual')

      await auth.fetch('https://api.example.evil.com/me')
      await auth.fetch('http://api.example/me')
      await auth.fetch('https://other.example/v1/x')
      for (const i of [1, 2, 3]) expect(sent(i).headers.has('authorization')).toBe(false)

      await auth.fetch('https://other.example/v2/x')
      expect(sent(4).headers.get('authorization')).toMatch(/^Bearer test-token-/)
      expect(auth.calls.fetch.map((r) => r.url)).toHaveLength(5)
      expect(auth.calls.getAccessToken).toEqual([]) // fetch's own tokens are not getAccessToken calls
    })

    it('keeps a caller’s Authorization header, and fails when signed out', async () => {
      const { auth, sent } = setup()
      await auth.fetch('https://api.example/me', { headers: { authorization: 'Basic x' } })
      expect(sent(0).headers.get('authorization')).toBe('Basic x')
      auth.signOut()
      await expect(auth.fetch('https://api.example/me')).rejects.toBeInstanceOf(LoginRequiredError)
      await expect(auth.fetch('https://elsewhere.example/')).resolves.toBeInstanceOf(Response)
    })

    it('can be made to fail', async () => {
      const { auth, base } = setup()
      auth.failNext('fetch', new NetworkError('offline'))
      await expect(auth.fetch('https://api.example/me')).rejects.toThrow('offline')
      expect(base).not.toHaveBeenCalled()
    })
  })

  it('destroy drops every listener', () => {
    const auth = createTestAuthClient()
    const listener = vi.fn()
    auth.subscribe(listener)
    auth.on('loggedIn', listener)
    auth.destroy()
    auth.signIn()
    expect(listener).not.toHaveBeenCalled()
  })
})
