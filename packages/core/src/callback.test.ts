import { describe, expect, test } from 'vitest'
import { CallbackError, ConfigurationError, LoginRequiredError, OAuthError } from './index.js'
import { TRANSACTION_TTL } from './transactions.js'
import { FakeServer, idToken, json, oauthError, sha256b64u } from './test/fake-server.js'
import {
  clock,
  errorOf,
  idb,
  loginFlow,
  makeClient,
  REDIRECT_URI,
  settle,
  uniqueClientId,
} from './test/helpers.js'

const base64urlBits = (s: string) => (s.replace(/[^A-Za-z0-9_-]/g, '').length * 6) | 0

describe('login()', () => {
  test('navigates to the authorization endpoint with code + PKCE S256 + state + nonce', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    await auth.login()
    const url = server.lastNavigation()
    expect(url.origin + url.pathname).toBe('https://as.example/authorize')
    const p = url.searchParams
    expect(p.get('response_type')).toBe('code')
    expect(p.get('client_id')).toBeTruthy()
    expect(p.get('redirect_uri')).toBe(REDIRECT_URI)
    expect(p.get('code_challenge_method')).toBe('S256')
    expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(base64urlBits(p.get('state')!)).toBeGreaterThanOrEqual(128)
    expect(p.get('scope')!.split(' ')).toContain('openid')
    expect(p.get('nonce')).toBeTruthy()
    expect(p.get('nonce')).not.toBe(p.get('state'))
  })

  test('code_challenge is S256 of the verifier sent to the token endpoint', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    const { authorizationUrl } = await loginFlow(auth, server)
    const [tokenReq] = server.tokenRequests
    const verifier = tokenReq!.form.get('code_verifier')!
    expect(verifier.length).toBeGreaterThanOrEqual(43)
    expect(await sha256b64u(verifier)).toBe(authorizationUrl.searchParams.get('code_challenge'))
    expect(auth.getState().status).toBe('authenticated')
  })

  test('state, nonce and verifier are fresh for every login', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    await auth.login()
    await auth.login()
    const [a, b] = server.navigations.map((u) => new URL(u).searchParams)
    expect(a!.get('state')).not.toBe(b!.get('state'))
    expect(a!.get('nonce')).not.toBe(b!.get('nonce'))
    expect(a!.get('code_challenge')).not.toBe(b!.get('code_challenge'))
  })

  test('state is opaque: it does not carry the returnTo path', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    await auth.login({ returnTo: '/secret-page' })
    const state = server.lastNavigation().searchParams.get('state')!
    expect(state).not.toContain('secret')
    expect(atob(state.replace(/-/g, '+').replace(/_/g, '/'))).not.toContain('secret')
  })

  test('without openid in scope there is no nonce', async () => {
    const server = new FakeServer()
    const auth = makeClient(server, { scope: 'api:read' })
    await auth.login()
    expect(server.lastNavigation().searchParams.has('nonce')).toBe(false)
  })

  test('resource, audience and extra parameters are sent', async () => {
    const server = new FakeServer()
    const auth = makeClient(server, {
      resource: 'https://api.example',
      audience: 'my-api',
      extraParams: { ui_locales: 'fr' },
    })
    await auth.login({
      prompt: 'login',
      loginHint: 'ada@example.com',
      extraParams: { acr_values: 'mfa' },
    })
    const p = server.lastNavigation().searchParams
    expect(p.get('resource')).toBe('https://api.example')
    expect(p.get('audience')).toBe('my-api')
    expect(p.get('ui_locales')).toBe('fr')
    expect(p.get('acr_values')).toBe('mfa')
    expect(p.get('prompt')).toBe('login')
    expect(p.get('login_hint')).toBe('ada@example.com')
  })

  test('extra parameters cannot override the protocol parameters', async () => {
    const server = new FakeServer()
    const auth = makeClient(server, {
      extraParams: { response_type: 'token', code_challenge_method: 'plain' },
    })
    await auth.login({ extraParams: { state: 'fixed', redirect_uri: 'https://evil.example/' } })
    const p = server.lastNavigation().searchParams
    expect(p.get('response_type')).toBe('code')
    expect(p.get('code_challenge_method')).toBe('S256')
    expect(p.get('state')).not.toBe('fixed')
    expect(p.get('redirect_uri')).toBe(REDIRECT_URI)
  })

  test('a server without S256 is refused with ConfigurationError and no navigation', async () => {
    const server = new FakeServer({ metadata: { code_challenge_methods_supported: ['plain'] } })
    const auth = makeClient(server)
    const err = await errorOf(auth.login())
    expect(err).toBeInstanceOf(ConfigurationError)
    expect(server.navigations).toHaveLength(0)
    expect(auth.getState().error).toBe(err)
  })

  test('the transaction is kept in IndexedDB, never in web storage, cookies or the URL', async () => {
    localStorage.clear()
    sessionStorage.clear()
    const server = new FakeServer()
    const clientId = uniqueClientId()
    const auth = makeClient(server, { clientId })
    await auth.login()
    const state = server.lastNavigation().searchParams.get('state')!
    const tx = (await idb.get(server.issuer, clientId, `tx:${state}`)) as {
      verifier: string
      nonce: string
    }
    expect(tx.verifier).toMatch(/^[A-Za-z0-9_-]{43,}$/)
    expect(localStorage.length).toBe(0)
    expect(sessionStorage.length).toBe(0)
    expect(document.cookie).toBe('')
    expect(server.lastNavigation().href).not.toContain(tx.verifier)
  })
})

describe('handleRedirectCallback()', () => {
  test('exchanges the code once and becomes authenticated with the ID token user', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    const { returnTo } = await loginFlow(auth, server, { returnTo: '/dashboard?tab=1' })
    expect(returnTo).toBe('/dashboard?tab=1')
    expect(server.tokenRequests).toHaveLength(1)
    expect(server.tokenRequests[0]!.form.get('grant_type')).toBe('authorization_code')
    const s = auth.getState()
    expect(s.status).toBe('authenticated')
    expect(s.user).toMatchObject({ sub: 'user-1', name: 'Ada' })
    expect(s.user).not.toHaveProperty('nonce')
  })

  test('a wrong state is refused before any token request', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    await auth.login()
    const cb = new URL(server.authorize(server.lastNavigation().href))
    cb.searchParams.set('state', 'forged-state-value-000000000000')
    const err = await errorOf(auth.handleRedirectCallback(cb.href))
    expect(err).toBeInstanceOf(CallbackError)
    expect((err as CallbackError).reason).toBe('unknown_state')
    expect(server.tokenRequests).toHaveLength(0)
    expect(auth.getState().status).toBe('unauthenticated')
  })

  test('two logins in flight never mix their verifiers', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    await auth.login()
    const first = server.lastNavigation()
    await auth.login()
    const cb = server.authorize(first.href)
    await auth.handleRedirectCallback(cb)
    expect(server.tokenRequests).toHaveLength(1)
    expect(await sha256b64u(server.tokenRequests[0]!.form.get('code_verifier')!)).toBe(
      first.searchParams.get('code_challenge'),
    )
  })

  test('a replayed callback (reload, Back, new tab) is refused with no second token request', async () => {
    const server = new FakeServer()
    const clientId = uniqueClientId()
    const auth = makeClient(server, { clientId })
    const { callbackUrl } = await loginFlow(auth, server)
    const reloaded = makeClient(server, { clientId })
    const err = await errorOf(reloaded.handleRedirectCallback(callbackUrl))
    expect(err).toBeInstanceOf(CallbackError)
    expect(server.tokenRequests).toHaveLength(1)
  })

  test('a failed callback also consumes its state', async () => {
    const server = new FakeServer()
    server.tokenReplies.push(() => oauthError('invalid_grant'))
    const clientId = uniqueClientId()
    const auth = makeClient(server, { clientId })
    await auth.login()
    const cb = server.authorize(server.lastNavigation().href)
    await expect(auth.handleRedirectCallback(cb)).rejects.toBeInstanceOf(OAuthError)
    const reloaded = makeClient(server, { clientId })
    await expect(reloaded.handleRedirectCallback(cb)).rejects.toBeInstanceOf(CallbackError)
    expect(server.tokenRequests).toHaveLength(1)
  })

  test('the same callback handled twice at once sends one token request; both get the result', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    await auth.login({ returnTo: '/here' })
    const cb = server.authorize(server.lastNavigation().href)
    const [a, b] = await Promise.all([
      auth.handleRedirectCallback(cb),
      auth.handleRedirectCallback(cb),
    ])
    expect(a).toEqual({ returnTo: '/here' })
    expect(b).toEqual(a)
    expect(server.tokenRequests).toHaveLength(1)
  })

  test('a wrong iss is refused (mix-up), no token request', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    await auth.login()
    const cb = new URL(server.authorize(server.lastNavigation().href))
    cb.searchParams.set('iss', 'https://evil.example')
    await expect(auth.handleRedirectCallback(cb.href)).rejects.toBeInstanceOf(CallbackError)
    expect(server.tokenRequests).toHaveLength(0)
  })

  test('a missing iss is refused when the server advertises RFC 9207', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    await auth.login()
    const cb = new URL(server.authorize(server.lastNavigation().href))
    cb.searchParams.delete('iss')
    await expect(auth.handleRedirectCallback(cb.href)).rejects.toBeInstanceOf(CallbackError)
    expect(server.tokenRequests).toHaveLength(0)
  })

  test('error=access_denied → OAuthError with the description as plain text', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    await auth.login()
    const state = server.lastNavigation().searchParams.get('state')!
    const description = '<img src=x onerror=alert(1)> denied'
    const cb = new URL(REDIRECT_URI)
    cb.search = new URLSearchParams({
      error: 'access_denied',
      error_description: description,
      state,
      iss: server.issuer,
    }).toString()
    const err = await errorOf(auth.handleRedirectCallback(cb.href))
    expect(err).toBeInstanceOf(OAuthError)
    expect((err as OAuthError).error).toBe('access_denied')
    expect((err as OAuthError).error_description).toBe(description)
    expect(server.tokenRequests).toHaveLength(0)
    expect(auth.getState().error).toBe(err)
  })

  test('error=access_denied with an unknown state is a CallbackError (state checked first)', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    await auth.login()
    const err = await errorOf(
      auth.handleRedirectCallback(
        `${REDIRECT_URI}?error=access_denied&state=other&iss=https%3A%2F%2Fas.example`,
      ),
    )
    expect(err).toBeInstanceOf(CallbackError)
  })

  test('error=login_required → LoginRequiredError', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    await auth.login()
    const state = server.lastNavigation().searchParams.get('state')!
    const err = await errorOf(
      auth.handleRedirectCallback(
        `${REDIRECT_URI}?error=login_required&state=${state}&iss=https%3A%2F%2Fas.example`,
      ),
    )
    expect(err).toBeInstanceOf(LoginRequiredError)
  })

  test('code and state are removed from the address bar, even when the callback fails', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    await auth.login()
    history.replaceState(null, '', '/callback?code=stolen&state=forged&iss=x&keep=1#frag')
    const p = auth.handleRedirectCallback()
    // Synchronously, before anything awaits.
    expect(location.search).toBe('?keep=1')
    expect(location.hash).toBe('#frag')
    await expect(p).rejects.toBeInstanceOf(CallbackError)
    expect(location.href).not.toContain('stolen')
  })

  test('the code is removed from the address bar on success too', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    await auth.login()
    const cb = new URL(server.authorize(server.lastNavigation().href))
    history.replaceState(null, '', cb.pathname + cb.search)
    await auth.handleRedirectCallback()
    expect(location.search).toBe('')
    expect(location.pathname).toBe('/callback')
    expect(auth.getState().status).toBe('authenticated')
  })

  test.each([
    ['//evil.com'],
    ['/\\evil.com'],
    ['javascript:alert(1)'],
    ['https://evil.com'],
    ['https://evil.com/path'],
    ['evil.com'],
    ['/%5Cevil.com'],
    ['/.//evil.com'],
  ])('returnTo %s is replaced by /', async (returnTo) => {
    const server = new FakeServer()
    const auth = makeClient(server)
    const result = await loginFlow(auth, server, { returnTo })
    expect(result.returnTo.startsWith('/')).toBe(true)
    expect(result.returnTo.startsWith('//')).toBe(false)
    expect(new URL(result.returnTo, location.origin).origin).toBe(location.origin)
    if (!returnTo.startsWith('/%5C')) expect(result.returnTo).toBe('/')
  })

  test('an ID token with a wrong nonce is refused and nothing is stored', async () => {
    const server = new FakeServer()
    const clientId = uniqueClientId()
    server.tokenReplies.push(async (req, s) => {
      const res = (await (await s.issue(req)).json()) as Record<string, unknown>
      const now = Math.floor(Date.now() / 1000)
      res.id_token = idToken({
        iss: s.issuer,
        aud: clientId,
        sub: 'user-1',
        iat: now,
        exp: now + 60,
        nonce: 'other',
      })
      return json(res)
    })
    const auth = makeClient(server, { clientId })
    await auth.login()
    const cb = server.authorize(server.lastNavigation().href)
    await expect(auth.handleRedirectCallback(cb)).rejects.toMatchObject({ code: 'oauth_error' })
    expect(auth.getState().status).toBe('unauthenticated')
    expect(await idb.get(server.issuer, clientId, 'session')).toBeUndefined()
  })

  test.each([
    ['alg none', { alg: 'none', typ: 'JWT' }, ''],
    ['alg HS256', { alg: 'HS256', typ: 'JWT' }, 'sig'],
  ])('an ID token with %s is refused', async (_n, header, sig) => {
    const server = new FakeServer()
    const clientId = uniqueClientId()
    server.tokenReplies.push(async (req, s) => {
      const body = (await (await s.issue(req)).json()) as Record<string, unknown>
      const claims = JSON.parse(
        atob((body.id_token as string).split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')),
      )
      const enc = (x: unknown) =>
        btoa(JSON.stringify(x)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
      body.id_token = `${enc(header)}.${enc(claims)}.${sig}`
      return json(body)
    })
    const auth = makeClient(server, { clientId })
    await auth.login()
    await expect(
      auth.handleRedirectCallback(server.authorize(server.lastNavigation().href)),
    ).rejects.toBeTruthy()
    expect(auth.getState().status).toBe('unauthenticated')
    expect(await idb.get(server.issuer, clientId, 'session')).toBeUndefined()
  })

  test('ID token claims named __proto__ do not pollute prototypes', async () => {
    const server = new FakeServer()
    server.tokenReplies.push(async (req, s) => {
      const res = await s.issue(req)
      const text = await res.text()
      const body = JSON.parse(text) as Record<string, unknown>
      const [h, p] = (body.id_token as string).split('.')
      const payload = atob(p!.replace(/-/g, '+').replace(/_/g, '/')).replace(
        /^\{/,
        '{"__proto__":{"polluted":true},',
      )
      body.id_token = `${h}.${btoa(payload).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}.sig`
      return json(body)
    })
    const auth = makeClient(server)
    await loginFlow(auth, server)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    const user = auth.getState().user as Record<string, unknown>
    expect(Object.getPrototypeOf(user)).toBe(Object.prototype)
    expect(user.polluted).toBeUndefined()
  })

  test('a token response without the required ID token is refused', async () => {
    const server = new FakeServer()
    server.tokenReplies.push((req, s) => s.issue(req, { id_token: undefined }))
    const clientId = uniqueClientId()
    const auth = makeClient(server, { clientId })
    await auth.login()
    await expect(
      auth.handleRedirectCallback(server.authorize(server.lastNavigation().href)),
    ).rejects.toBeTruthy()
    expect(await idb.get(server.issuer, clientId, 'session')).toBeUndefined()
    expect(auth.getState().status).toBe('unauthenticated')
  })

  test.each([
    [
      'HTML 200',
      () =>
        new Response('<html>proxy</html>', {
          status: 200,
          headers: { 'content-type': 'text/html' },
        }),
    ],
    ['empty 500', () => new Response(null, { status: 500 })],
    [
      'invalid JSON',
      () =>
        new Response('{"access_token":', {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
    ],
    [
      'HTML 502',
      () =>
        new Response('<html>bad gateway</html>', {
          status: 502,
          headers: { 'content-type': 'text/html' },
        }),
    ],
  ])('token endpoint answering %s → typed error, nothing stored', async (_name, reply) => {
    const server = new FakeServer()
    server.tokenReplies.push(reply)
    const clientId = uniqueClientId()
    const auth = makeClient(server, { clientId })
    await auth.login()
    const err = await errorOf(
      auth.handleRedirectCallback(server.authorize(server.lastNavigation().href)),
    )
    expect(err).toMatchObject({ code: expect.stringMatching(/network_error|oauth_error/) })
    expect(err).toBeInstanceOf(Error)
    expect(auth.getState().status).toBe('unauthenticated')
    expect(await idb.get(server.issuer, clientId, 'session')).toBeUndefined()
  })

  test('a rejected response with a valid-looking refresh token stores nothing', async () => {
    const server = new FakeServer()
    server.tokenReplies.push((req, s) => s.issue(req, { token_type: 'weird' }))
    const clientId = uniqueClientId()
    const auth = makeClient(server, { clientId })
    await auth.login()
    await expect(
      auth.handleRedirectCallback(server.authorize(server.lastNavigation().href)),
    ).rejects.toBeTruthy()
    expect(await idb.get(server.issuer, clientId, 'session')).toBeUndefined()
  })

  test('an expired transaction (11 minutes) → CallbackError, no token request', async () => {
    const server = new FakeServer()
    const c = clock()
    const auth = makeClient(server, { now: c.now })
    await auth.login()
    const cb = server.authorize(server.lastNavigation().href)
    c.advance(TRANSACTION_TTL + 60_000)
    const err = await errorOf(auth.handleRedirectCallback(cb))
    expect(err).toBeInstanceOf(CallbackError)
    expect((err as CallbackError).reason).toBe('expired')
    expect(server.tokenRequests).toHaveLength(0)
  })

  test('a transaction within its lifetime is accepted', async () => {
    const server = new FakeServer()
    const c = clock()
    const auth = makeClient(server, { now: c.now })
    await auth.login()
    const cb = server.authorize(server.lastNavigation().href)
    c.advance(TRANSACTION_TTL - 60_000)
    await auth.handleRedirectCallback(cb)
    expect(auth.getState().status).toBe('authenticated')
  })

  test('no authorization response in the URL → CallbackError no_response', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    const err = await errorOf(auth.handleRedirectCallback(`${REDIRECT_URI}?foo=bar`))
    expect(err).toBeInstanceOf(CallbackError)
    expect((err as CallbackError).reason).toBe('no_response')
    await settle()
    expect(server.requests).toHaveLength(0)
  })

  test('isCallback recognizes code+state and error+state only', () => {
    const server = new FakeServer()
    const auth = makeClient(server, { storage: 'memory' })
    expect(auth.isCallback(`${REDIRECT_URI}?code=a&state=b`)).toBe(true)
    expect(auth.isCallback(`${REDIRECT_URI}?error=x&state=b`)).toBe(true)
    expect(auth.isCallback(`${REDIRECT_URI}?code=a`)).toBe(false)
    expect(auth.isCallback(`${REDIRECT_URI}?state=b`)).toBe(false)
  })

  test('the code is exchanged at the token endpoint of the issuer the login was sent to, with the stored redirect_uri', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    await loginFlow(auth, server)
    const req = server.tokenRequests[0]!
    expect(req.url).toBe('https://as.example/token')
    expect(req.form.get('redirect_uri')).toBe(REDIRECT_URI)
    expect(req.redirect).toBe('manual')
  })
})
