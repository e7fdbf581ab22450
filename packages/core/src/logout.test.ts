import { describe, expect, test } from 'vitest'
import { dpop } from './index.js'
import { FakeServer, networkDown } from './test/fake-server.js'
import { idb, loginFlow, makeClient, uniqueClientId } from './test/helpers.js'
import type { ClientOptions } from './test/helpers.js'

async function loggedIn(server = new FakeServer(), options: ClientOptions = {}) {
  const clientId = uniqueClientId()
  const auth = makeClient(server, { clientId, ...options })
  await loginFlow(auth, server)
  const session = (await idb.get(server.issuer, clientId, 'session')) as {
    refreshToken: string
    idToken: string
    tokens: Record<string, { accessToken: string }>
  }
  return { server, auth, clientId, session }
}

describe('logout()', () => {
  test('revokes the refresh and access tokens', async () => {
    const { server, auth, session } = await loggedIn()
    await auth.logout()
    const revoked = server.sent('revocation_endpoint').map((r) => r.form.get('token'))
    expect(revoked).toEqual(
      expect.arrayContaining([session.refreshToken, session.tokens['']!.accessToken]),
    )
    for (const r of server.sent('revocation_endpoint')) {
      expect(r.method).toBe('POST')
      expect(r.form.get('client_id')).toBeTruthy()
      const hint = r.form.get('token_type_hint')
      if (hint) expect(['refresh_token', 'access_token']).toContain(hint)
    }
  })

  test('clears the session, transactions and DPoP key; the state becomes unauthenticated', async () => {
    const { server, auth, clientId } = await loggedIn(new FakeServer(), { dpop })
    await auth.login() // a pending transaction
    expect((await idb.keys(server.issuer, clientId)).some((k) => k.startsWith('tx:'))).toBe(true)
    expect(await idb.get(server.issuer, clientId, 'dpop')).toBeDefined()
    const ended: unknown[] = []
    auth.on('sessionEnded', (e) => ended.push(e))
    await auth.logout()
    const left = await idb.keys(server.issuer, clientId)
    expect(left).not.toContain('session')
    expect(left).not.toContain('dpop')
    expect(left.filter((k) => k.startsWith('tx:'))).toEqual([])
    expect(auth.getState()).toMatchObject({ status: 'unauthenticated', user: null })
    expect(ended).toEqual([expect.objectContaining({ reason: 'logout' })])
    await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'login_required' })
  })

  test('navigates to the end_session_endpoint with id_token_hint, client_id and post_logout_redirect_uri', async () => {
    const { server, auth, clientId, session } = await loggedIn()
    await auth.logout({ returnTo: '/bye' })
    const url = server.lastNavigation()
    expect(url.origin + url.pathname).toBe('https://as.example/logout')
    expect(url.searchParams.get('id_token_hint')).toBe(session.idToken)
    expect(url.searchParams.get('client_id')).toBe(clientId)
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe('http://localhost:5173/bye')
  })

  test('the logout returnTo cannot point at another origin through a path trick', async () => {
    const { server, auth } = await loggedIn()
    await auth.logout({ returnTo: '//evil.com/x' })
    const back = new URL(server.lastNavigation().searchParams.get('post_logout_redirect_uri')!)
    expect(back.origin).toBe('http://localhost:5173')
  })

  test('the logout returnTo may be a path or the registered postLogoutRedirectUri; never another origin', async () => {
    const registered = 'https://app.example/signed-out'
    const cases: [string, string][] = [
      ['/bye?x=1', 'http://localhost:5173/bye?x=1'],
      [registered, registered],
      ['https://evil.example/x', 'http://localhost:5173/'],
      ['http://localhost:5173//evil.com/x', 'http://localhost:5173/'],
    ]
    for (const [returnTo, expected] of cases) {
      const { server, auth } = await loggedIn(new FakeServer(), {
        postLogoutRedirectUri: registered,
      })
      await auth.logout({ returnTo })
      expect(server.lastNavigation().searchParams.get('post_logout_redirect_uri')).toBe(expected)
    }
  })

  test('the logout returnTo cannot leave the origin through dot segments (/.//evil.com)', async () => {
    const { server, auth } = await loggedIn()
    await auth.logout({ returnTo: '/.//evil.com' })
    const back = new URL(server.lastNavigation().searchParams.get('post_logout_redirect_uri')!)
    expect(back.origin).toBe('http://localhost:5173')
  })

  test('postLogoutRedirectUri is used when configured', async () => {
    const { server, auth } = await loggedIn(new FakeServer(), {
      postLogoutRedirectUri: 'http://localhost:5173/signed-out',
    })
    await auth.logout()
    expect(server.lastNavigation().searchParams.get('post_logout_redirect_uri')).toBe(
      'http://localhost:5173/signed-out',
    )
  })

  test('localOnly → no navigation, but still revoked and cleared', async () => {
    const { server, auth, clientId } = await loggedIn()
    const before = server.navigations.length
    await auth.logout({ localOnly: true })
    expect(server.navigations).toHaveLength(before)
    expect(server.sent('revocation_endpoint').length).toBeGreaterThan(0)
    expect(await idb.get(server.issuer, clientId, 'session')).toBeUndefined()
  })

  test.each([
    ['a 500', () => new Response(null, { status: 500 })],
    ['a network error', networkDown],
  ])('revocation failing with %s → logged out locally, error reported', async (_n, reply) => {
    const server = new FakeServer()
    server.revocationReplies.push(reply, reply, reply)
    const { auth, clientId } = await loggedIn(server)
    await auth.logout({ localOnly: true })
    const s = auth.getState()
    expect(s.status).toBe('unauthenticated')
    expect(s.error).toMatchObject({ code: 'network_error' })
    expect(await idb.get(server.issuer, clientId, 'session')).toBeUndefined()
  })

  test.each([204, 202])(
    'revocation answered %i (any 2xx) → a successful logout, no error in the state',
    async (status) => {
      const server = new FakeServer()
      const ok = () => new Response(null, { status })
      server.revocationReplies.push(ok, ok)
      const { auth } = await loggedIn(server)
      await auth.logout({ localOnly: true })
      expect(server.sent('revocation_endpoint')).toHaveLength(2)
      expect(auth.getState()).toMatchObject({ status: 'unauthenticated', error: null })
    },
  )

  test('no revocation_endpoint → no revocation request', async () => {
    const server = new FakeServer({ metadata: { revocation_endpoint: undefined } })
    const { auth } = await loggedIn(server)
    await auth.logout()
    expect(server.requests.filter((r) => r.url.includes('/revoke'))).toHaveLength(0)
    expect(auth.getState().status).toBe('unauthenticated')
    expect(server.lastNavigation().pathname).toBe('/logout')
  })

  test('no end_session_endpoint → no navigation, still logged out', async () => {
    const server = new FakeServer({ metadata: { end_session_endpoint: undefined } })
    const { auth } = await loggedIn(server)
    const before = server.navigations.length
    await auth.logout()
    expect(server.navigations).toHaveLength(before)
    expect(auth.getState().status).toBe('unauthenticated')
  })

  test('an http end_session_endpoint is not visited', async () => {
    const server = new FakeServer({
      metadata: { end_session_endpoint: 'http://as.example/logout' },
    })
    const { auth } = await loggedIn(server)
    const before = server.navigations.length
    await auth.logout().catch(() => {})
    expect(server.navigations).toHaveLength(before)
    expect(auth.getState().status).toBe('unauthenticated')
  })

  test('the authorization server down at logout → still logged out locally', async () => {
    const server = new FakeServer()
    const { clientId } = await loggedIn(server)
    const down = makeClient(server, {
      clientId,
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    })
    await down.ready
    await idb.del(server.issuer, clientId, 'discovery')
    await down.logout()
    expect(down.getState().status).toBe('unauthenticated')
    expect(await idb.get(server.issuer, clientId, 'session')).toBeUndefined()
  })
})
