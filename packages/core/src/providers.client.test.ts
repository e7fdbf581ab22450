// The provider adapters and the `metadata` option through the real client: each request shape
// (authorization URL, token requests, logout URL, revocation target, scope) as the FakeServer
// receives it, and the checks no adapter can switch off.
import { describe, expect, test } from 'vitest'
import {
  auth0,
  CallbackError,
  cognito,
  ConfigurationError,
  defineProvider,
  entra,
  keycloak,
  LoginRequiredError,
  OAuthError,
  okta,
  type ProviderAdapter,
} from './index.js'
import { decodeJwt, FakeServer, idToken, json, oauthError } from './test/fake-server.js'
import {
  errorOf,
  idb,
  loginFlow,
  makeClient,
  REDIRECT_URI,
  uniqueClientId,
  type ClientOptions,
} from './test/helpers.js'

const DOMAIN = 'https://myapp.auth.us-east-1.amazoncognito.com'
const POOL = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc'
const MS = 'https://login.microsoftonline.com'
const TID = '72f988bf-86f1-41af-91ab-2d7cd011db47'
const OTHER_TID = '9188040d-6c67-4c5b-b112-36a304b66dad'
const BACK = 'http://localhost:5173/logged-out'
const DEFAULT = 'openid profile email offline_access'

/**
 * The FakeServer answers discovery at the origin's root only; for an issuer with a path the
 * document lives at `ISSUER/.well-known/openid-configuration` (OIDC Discovery §4). `at` is the
 * path discovery is served at (default: the server's issuer).
 */
function discoveredAt(server: FakeServer, at = server.issuer): FakeServer {
  const inner = server.fetch
  const doc = `${at.replace(/\/$/, '')}/.well-known/openid-configuration`
  server.fetch = async (input, init) => {
    const url = new Request(input, init).url
    if (url === doc) {
      server.requests.push({
        url,
        method: 'GET',
        headers: new Headers(),
        body: '',
        form: new URLSearchParams(),
        redirect: 'manual',
      })
      return json(server.metadata)
    }
    return inner(input, init)
  }
  return server
}

/** Cognito as it is: its metadata lists an end-session endpoint, no revocation endpoint, no PKCE methods. */
function cognitoServer(): FakeServer {
  return discoveredAt(
    new FakeServer({
      issuer: POOL,
      metadata: {
        authorization_endpoint: `${DOMAIN}/oauth2/authorize`,
        token_endpoint: `${DOMAIN}/oauth2/token`,
        end_session_endpoint: `${DOMAIN}/logout`,
        revocation_endpoint: undefined,
        code_challenge_methods_supported: undefined,
        authorization_response_iss_parameter_supported: undefined,
        scopes_supported: ['openid', 'email', 'phone', 'profile'],
      },
    }),
  )
}

/** An Auth0 tenant without end-session discovery: issuer with the trailing slash. */
function auth0Server(): FakeServer {
  return new FakeServer({
    issuer: 'https://tenant.auth0.com/',
    metadata: {
      authorization_endpoint: 'https://tenant.auth0.com/authorize',
      token_endpoint: 'https://tenant.auth0.com/oauth/token',
      revocation_endpoint: 'https://tenant.auth0.com/oauth/revoke',
      end_session_endpoint: undefined,
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    },
  })
}

/**
 * Entra's multi-tenant metadata (`/common/v2.0` naming the `{tenantid}` template), whose ID
 * tokens carry the tenant's issuer and `tid`. `iss`/`tid` choose what the token says.
 */
function entraServer(claims: { iss?: string; tid?: unknown } = {}): FakeServer {
  const server = new FakeServer({
    issuer: `${MS}/${TID}/v2.0`,
    metadata: {
      issuer: `${MS}/{tenantid}/v2.0`,
      authorization_endpoint: `${MS}/common/oauth2/v2.0/authorize`,
      token_endpoint: `${MS}/common/oauth2/v2.0/token`,
      end_session_endpoint: `${MS}/common/oauth2/v2.0/logout`,
      revocation_endpoint: undefined,
      code_challenge_methods_supported: undefined,
      authorization_response_iss_parameter_supported: undefined,
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    },
  })
  const inner = server.fetch
  server.fetch = async (input, init) => {
    const res = await inner(input, init)
    if (!new Request(input, init).url.endsWith('/token') || res.status !== 200) return res
    const body = (await res.json()) as Record<string, unknown>
    if (typeof body.id_token === 'string') {
      const { payload } = decodeJwt(body.id_token)
      body.id_token = idToken({ ...payload, tid: TID, ...claims })
    }
    return json(body)
  }
  return discoveredAt(server, `${MS}/common/v2.0`)
}

/**
 * A login through Entra. Without `iss` (the default) the authorization response carries none, as
 * Entra's did; with it, that `iss` (RFC 9207) — the tenant's concrete issuer, as Entra sends now.
 */
async function entraLogin(
  auth: ReturnType<typeof makeClient>,
  server: FakeServer,
  iss?: string,
): Promise<void> {
  await auth.login()
  const cb = new URL(server.authorize(server.lastNavigation().href))
  if (iss) cb.searchParams.set('iss', iss)
  else cb.searchParams.delete('iss')
  await auth.handleRedirectCallback(cb.href)
}

function client(server: FakeServer, provider?: ProviderAdapter, options: ClientOptions = {}) {
  const clientId = uniqueClientId()
  return {
    clientId,
    auth: makeClient(server, {
      clientId,
      postLogoutRedirectUri: BACK,
      ...(provider ? { provider } : {}),
      ...options,
    }),
  }
}

const query = (url: URL) => Object.fromEntries(url.searchParams)

describe('authorization requests per preset', () => {
  test.each<[string, () => FakeServer, () => ProviderAdapter | undefined, string, string?]>([
    // the generic default asks only for what the metadata lists: Cognito lists no offline_access
    ['generic on Cognito', cognitoServer, () => undefined, 'openid profile email'],
    ['cognito', cognitoServer, () => cognito({ domain: DOMAIN }), 'openid email profile'],
    [
      'auth0',
      auth0Server,
      () => auth0({ audience: 'https://api.example' }),
      DEFAULT,
      'https://api.example',
    ],
    ['entra', () => entraServer(), () => entra(), DEFAULT],
    ['keycloak', () => new FakeServer(), () => keycloak(), 'openid profile email'],
    ['okta', () => new FakeServer(), () => okta(), DEFAULT],
  ])('%s', async (_, makeServer, provider, scope, audience) => {
    const server = makeServer()
    const issuer =
      server.metadata.issuer === `${MS}/{tenantid}/v2.0` ? `${MS}/common/v2.0` : server.issuer
    const { auth, clientId } = client(server, provider(), { issuer })
    await auth.login()
    const url = server.lastNavigation()
    expect(`${url.origin}${url.pathname}`).toBe(server.metadata.authorization_endpoint)
    const q = query(url)
    expect(q).toMatchObject({
      client_id: clientId,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope,
      code_challenge_method: 'S256',
    })
    expect(q.state).toMatch(/^[\w-]{43}$/)
    expect(q.nonce).toMatch(/^[\w-]{43}$/)
    expect(q.code_challenge).toMatch(/^[\w-]{43}$/)
    expect(q.audience).toBe(audience)
  })

  test('an explicit scope is sent as given, with or without an adapter', async () => {
    for (const provider of [undefined, cognito({ domain: DOMAIN })]) {
      const server = cognitoServer()
      const { auth } = client(server, provider, { scope: 'openid offline_access custom/read' })
      await auth.login()
      expect(server.lastNavigation().searchParams.get('scope')).toBe(
        'openid offline_access custom/read',
      )
    }
  })

  test('without scopes_supported the default is all four; a list narrows it', async () => {
    const plain = new FakeServer()
    await client(plain).auth.login()
    expect(plain.lastNavigation().searchParams.get('scope')).toBe(DEFAULT)
    const listed = new FakeServer({ metadata: { scopes_supported: ['openid', 'offline_access'] } })
    await client(listed).auth.login()
    expect(listed.lastNavigation().searchParams.get('scope')).toBe('openid offline_access')
  })

  test("the app's extraParams and audience win over the adapter's; the SDK's own always do", async () => {
    const server = auth0Server()
    const custom = defineProvider({
      name: 'custom',
      authorizationParams: { audience: 'https://adapter.example', ui_locales: 'de' },
    })
    const { auth } = client(server, custom, { extraParams: { ui_locales: 'fr' } })
    await auth.login({ extraParams: { state: 'mine' } })
    const q = query(server.lastNavigation())
    expect(q.audience).toBe('https://adapter.example')
    expect(q.ui_locales).toBe('fr')
    expect(q.state).not.toBe('mine')
    const other = auth0Server()
    await client(other, auth0({ audience: 'https://a.example' }), {
      audience: 'https://app.example',
    }).auth.login()
    expect(other.lastNavigation().searchParams.get('audience')).toBe('https://app.example')
  })
})

describe('token requests', () => {
  test("the adapter's token parameters go on the code exchange and the refresh, below the app's", async () => {
    const server = new FakeServer()
    const custom = defineProvider({ name: 'custom', tokenParams: { tenant: 'a', extra: 'x' } })
    const { auth } = client(server, custom, { extraTokenParams: { extra: 'app' } })
    await loginFlow(auth, server)
    await auth.getAccessToken({ forceRefresh: true })
    const [exchange, refresh] = server.tokenRequests
    for (const r of [exchange!, refresh!]) {
      expect(r.form.get('tenant')).toBe('a')
      expect(r.form.get('extra')).toBe('app')
    }
    expect(exchange!.form.get('grant_type')).toBe('authorization_code')
    expect(refresh!.form.get('grant_type')).toBe('refresh_token')
  })

  test('auth0({ audience }) puts audience on the authorization request only', async () => {
    const server = auth0Server()
    const { auth } = client(server, auth0({ audience: 'https://api.example' }))
    await loginFlow(auth, server)
    await auth.getAccessToken({ forceRefresh: true })
    for (const r of server.tokenRequests) expect(r.form.has('audience')).toBe(false)
  })

  test('cognito: no rotation, the refresh token is kept', async () => {
    const server = cognitoServer()
    const { auth, clientId } = client(server, cognito({ domain: DOMAIN }))
    await loginFlow(auth, server)
    const before = (await idb.get(POOL, clientId, 'session')) as { refreshToken: string }
    server.tokenReplies.push(async (req, s) => {
      const res = await s.issue(req, { refresh_token: undefined })
      s.liveRefreshTokens.add(before.refreshToken)
      return res
    })
    await auth.getAccessToken({ forceRefresh: true })
    await auth.getAccessToken({ forceRefresh: true })
    const sent = server.tokenRequests.slice(1).map((r) => r.form.get('refresh_token'))
    expect(sent).toEqual([before.refreshToken, before.refreshToken])
  })
})

describe('auth0: issuer and a dead refresh token', () => {
  test.each(['https://tenant.auth0.com', 'https://tenant.auth0.com/'])(
    'issuer %s: same storage namespace, ID tokens with the slash accepted',
    async (issuer) => {
      const server = auth0Server()
      const { auth, clientId } = client(server, auth0(), { issuer })
      await loginFlow(auth, server)
      expect(auth.getState().status).toBe('authenticated')
      expect(await idb.get('https://tenant.auth0.com/', clientId, 'session')).toBeDefined()
    },
  )

  test.each([
    ['with the preset', () => auth0()],
    ['generic', () => undefined],
  ])('403 invalid_grant on refresh ends the session (%s)', async (_, provider) => {
    const server = auth0Server()
    const { auth, clientId } = client(server, provider())
    await loginFlow(auth, server)
    server.tokenReplies.push(() => oauthError('invalid_grant', 403))
    const err = await errorOf(auth.getAccessToken({ forceRefresh: true }))
    expect(err).toBeInstanceOf(LoginRequiredError)
    expect(auth.getState().status).toBe('unauthenticated')
    expect(await idb.get('https://tenant.auth0.com/', clientId, 'session')).toBeUndefined()
  })

  test('a passing fault stays passing: 503 keeps the session', async () => {
    const server = auth0Server()
    const { auth } = client(server, auth0())
    await loginFlow(auth, server)
    server.tokenReplies.push(() => oauthError('temporarily_unavailable', 503))
    await errorOf(auth.getAccessToken({ forceRefresh: true }))
    expect(auth.getState().status).toBe('authenticated')
  })
})

describe('entra: the {tenantid} template checked against the token’s own tenant', () => {
  const issuer = `${MS}/common/v2.0`

  test('login and refresh with ID tokens of the tenant', async () => {
    const server = entraServer()
    const { auth } = client(server, entra(), { issuer })
    await entraLogin(auth, server)
    expect(auth.getState()).toMatchObject({ status: 'authenticated', user: { tid: TID } })
    await auth.getAccessToken({ forceRefresh: true })
    expect(auth.getState().status).toBe('authenticated')
  })

  test('generic: discovery fails on the template issuer, naming both values', async () => {
    const server = entraServer()
    const { auth } = client(server, undefined, { issuer })
    const err = await errorOf(auth.login())
    expect(err).toBeInstanceOf(ConfigurationError)
    expect((err as Error).message).toContain('{tenantid}')
  })

  test.each([
    ['another tenant’s iss', { iss: `${MS}/${OTHER_TID}/v2.0` }],
    ['the raw template as iss', { iss: `${MS}/{tenantid}/v2.0` }],
    ['a tid that is not a GUID', { tid: '../evil' }],
    ['no tid', { tid: undefined }],
  ])('refused, nothing stored: %s', async (_, claims) => {
    const server = entraServer(claims)
    const { auth, clientId } = client(server, entra(), { issuer })
    const err = await errorOf(entraLogin(auth, server))
    expect(err).toBeInstanceOf(OAuthError)
    expect(auth.getState().status).toBe('unauthenticated')
    expect(await idb.get(issuer, clientId, 'session')).toBeUndefined()
  })

  test('entra({ tenants }) refuses a tenant not listed', async () => {
    const server = entraServer()
    const { auth } = client(server, entra({ tenants: [OTHER_TID] }), { issuer })
    expect(await errorOf(entraLogin(auth, server))).toBeInstanceOf(OAuthError)
  })

  test('a callback iss naming the tenant (the template filled with a tenant id) is accepted', async () => {
    const server = entraServer()
    const { auth } = client(server, entra(), { issuer })
    await entraLogin(auth, server, `${MS}/${TID}/v2.0`)
    expect(auth.getState()).toMatchObject({ status: 'authenticated', user: { tid: TID } })
  })

  test.each([
    ['another host', `https://login.evil.example/${TID}/v2.0`],
    ['another path', `${MS}/${TID}/v2.0/x`],
    ['no tenant id in the segment', `${MS}/common/v2.0`],
    ['the raw template', `${MS}/{tenantid}/v2.0`],
    ['two segments for one', `${MS}/${TID}/${TID}/v2.0`],
  ])('a callback iss of %s is refused before any token request', async (_, iss) => {
    const server = entraServer()
    const { auth, clientId } = client(server, entra(), { issuer })
    expect(await errorOf(entraLogin(auth, server, iss))).toBeInstanceOf(CallbackError)
    expect(server.tokenRequests).toHaveLength(0)
    expect(await idb.get(issuer, clientId, 'session')).toBeUndefined()
  })

  test('a callback iss of another tenant than the ID token’s tid is refused, nothing stored', async () => {
    const server = entraServer()
    const { auth, clientId } = client(server, entra(), { issuer })
    expect(await errorOf(entraLogin(auth, server, `${MS}/${OTHER_TID}/v2.0`))).toBeInstanceOf(
      OAuthError,
    )
    expect(auth.getState().status).toBe('unauthenticated')
    expect(await idb.get(issuer, clientId, 'session')).toBeUndefined()
  })

  test('entra({ tenants }): a callback iss of a tenant not listed is refused before the exchange', async () => {
    const server = entraServer()
    const { auth } = client(server, entra({ tenants: [OTHER_TID] }), { issuer })
    expect(await errorOf(entraLogin(auth, server, `${MS}/${TID}/v2.0`))).toBeInstanceOf(
      CallbackError,
    )
    expect(server.tokenRequests).toHaveLength(0)
  })

  test('a plain issuer is still compared exactly, with or without a preset', async () => {
    for (const provider of [undefined, keycloak(), entra()]) {
      const server = new FakeServer()
      const { auth } = client(server, provider)
      await auth.login()
      const cb = new URL(server.authorize(server.lastNavigation().href))
      cb.searchParams.set('iss', `${server.issuer}/${TID}`)
      expect(await errorOf(auth.handleRedirectCallback(cb.href))).toBeInstanceOf(CallbackError)
      expect(server.tokenRequests).toHaveLength(0)
    }
  })
})

describe('logout per preset', () => {
  async function loggedOut(
    server: FakeServer,
    provider: ProviderAdapter | undefined,
    issuer?: string,
  ) {
    const { auth, clientId } = client(server, provider, issuer ? { issuer } : {})
    await (issuer ? entraLogin(auth, server) : loginFlow(auth, server))
    const before = server.navigations.length
    await auth.logout()
    const after = server.navigations.slice(before)
    return { clientId, auth, url: after.length ? new URL(after.at(-1)!) : undefined }
  }

  test('cognito: DOMAIN/logout?client_id&logout_uri, revocation at DOMAIN/oauth2/revoke', async () => {
    const server = cognitoServer()
    const { clientId, url } = await loggedOut(server, cognito({ domain: DOMAIN }))
    expect(`${url!.origin}${url!.pathname}`).toBe(`${DOMAIN}/logout`)
    expect(query(url!)).toEqual({ client_id: clientId, logout_uri: BACK })
    const revoked = server.requests.filter((r) => r.url === `${DOMAIN}/oauth2/revoke`)
    expect(revoked.length).toBeGreaterThan(0)
  })

  test('generic on Cognito: RP-initiated parameters Cognito does not read, and no revocation', async () => {
    const server = cognitoServer()
    const { url } = await loggedOut(server, undefined)
    expect(url!.searchParams.has('logout_uri')).toBe(false)
    expect(url!.searchParams.get('post_logout_redirect_uri')).toBe(BACK)
    expect(server.requests.some((r) => r.url.includes('/revoke'))).toBe(false)
  })

  test('auth0: /v2/logout?client_id&returnTo when no end_session_endpoint; generic: none at all', async () => {
    const server = auth0Server()
    const { clientId, url } = await loggedOut(server, auth0())
    expect(`${url!.origin}${url!.pathname}`).toBe('https://tenant.auth0.com/v2/logout')
    expect(query(url!)).toEqual({ client_id: clientId, returnTo: BACK })
    expect(server.sent('revocation_endpoint').length).toBeGreaterThan(0)
    const generic = auth0Server()
    expect((await loggedOut(generic, undefined)).url).toBeUndefined()
  })

  test('auth0: the end_session_endpoint when the tenant lists it', async () => {
    const server = auth0Server()
    server.metadata.end_session_endpoint = 'https://tenant.auth0.com/oidc/logout'
    const { url } = await loggedOut(server, auth0())
    expect(`${url!.origin}${url!.pathname}`).toBe('https://tenant.auth0.com/oidc/logout')
    expect(url!.searchParams.get('post_logout_redirect_uri')).toBe(BACK)
    expect(url!.searchParams.has('id_token_hint')).toBe(true)
  })

  test('entra: no revocation endpoint, the local session still ends; no ID token in the URL', async () => {
    const server = entraServer()
    const { clientId, url, auth } = await loggedOut(server, entra(), `${MS}/common/v2.0`)
    expect(auth.getState().status).toBe('unauthenticated')
    expect(await idb.get(`${MS}/common/v2.0`, clientId, 'session')).toBeUndefined()
    expect(server.requests.some((r) => r.url.includes('revoke'))).toBe(false)
    expect(`${url!.origin}${url!.pathname}`).toBe(`${MS}/common/oauth2/v2.0/logout`)
    expect(query(url!)).toEqual({ client_id: clientId, post_logout_redirect_uri: BACK })
  })

  test('keycloak and okta: RP-initiated logout with client_id and id_token_hint', async () => {
    for (const provider of [keycloak(), okta()]) {
      const server = new FakeServer()
      const { clientId, url } = await loggedOut(server, provider)
      expect(`${url!.origin}${url!.pathname}`).toBe('https://as.example/logout')
      expect(query(url!)).toMatchObject({ client_id: clientId, post_logout_redirect_uri: BACK })
      expect(url!.searchParams.has('id_token_hint')).toBe(true)
    }
  })
})

describe('the metadata option', () => {
  test('partial: fills what discovery lacks (a revocation endpoint), discovery still runs', async () => {
    const server = new FakeServer({ metadata: { revocation_endpoint: undefined } })
    const { auth } = client(server, undefined, {
      metadata: { revocation_endpoint: 'https://as.example/o/revoke_token/' },
    })
    await loginFlow(auth, server)
    await auth.logout()
    expect(server.requests.some((r) => r.url.includes('/.well-known/'))).toBe(true)
    expect(
      server.requests.filter((r) => r.url === 'https://as.example/o/revoke_token/').length,
    ).toBeGreaterThan(0)
  })

  test('partial: overrides a discovered endpoint; the issuer stays the server’s', async () => {
    const server = new FakeServer()
    const { auth } = client(server, undefined, {
      metadata: { issuer: 'https://evil.example', end_session_endpoint: 'https://as.example/bye' },
    })
    await loginFlow(auth, server)
    await auth.logout()
    expect(server.lastNavigation().pathname).toBe('/bye')
  })

  test('complete: no discovery request at all', async () => {
    const server = new FakeServer()
    const { auth } = client(server, undefined, {
      metadata: {
        issuer: server.issuer,
        authorization_endpoint: 'https://as.example/authorize',
        token_endpoint: 'https://as.example/token',
        revocation_endpoint: 'https://as.example/revoke',
      },
    })
    await loginFlow(auth, server)
    await auth.getAccessToken({ forceRefresh: true })
    await auth.logout()
    expect(server.requests.some((r) => r.url.includes('/.well-known/'))).toBe(false)
    expect(server.sent('revocation_endpoint').length).toBeGreaterThan(0)
    // no end_session_endpoint given: the logout stays local
    expect(server.navigations).toHaveLength(1)
  })

  test('complete but of another issuer: not taken as the document; discovery decides', async () => {
    const server = new FakeServer()
    const { auth } = client(server, undefined, {
      metadata: {
        issuer: 'https://other.example',
        authorization_endpoint: 'https://other.example/authorize',
        token_endpoint: 'https://other.example/token',
      },
    })
    await auth.login()
    expect(server.requests.some((r) => r.url.includes('/.well-known/'))).toBe(true)
    expect(server.lastNavigation().origin).toBe('https://other.example')
  })

  test('an endpoint that is not https is refused', async () => {
    const server = new FakeServer()
    const { auth } = client(server, undefined, {
      metadata: { authorization_endpoint: 'javascript:alert(1)//' },
    })
    expect(await errorOf(auth.login())).toBeInstanceOf(ConfigurationError)
    expect(server.navigations).toEqual([])
  })

  test('the server’s own document is cached, the option applied on each read', async () => {
    const server = new FakeServer()
    const clientId = uniqueClientId()
    const first = makeClient(server, {
      clientId,
      metadata: { authorization_endpoint: 'https://as.example/authorize2' },
    })
    await first.login()
    expect(server.lastNavigation().pathname).toBe('/authorize2')
    const cached = (await idb.get(server.issuer, clientId, 'discovery')) as {
      as: { authorization_endpoint: string }
    }
    expect(cached.as.authorization_endpoint).toBe('https://as.example/authorize')
    const second = makeClient(server, { clientId })
    const discoveries = server.requests.filter((r) => r.url.includes('/.well-known/')).length
    await second.login()
    expect(server.lastNavigation().pathname).toBe('/authorize')
    expect(server.requests.filter((r) => r.url.includes('/.well-known/')).length).toBe(discoveries)
  })
})

describe('invalid_scope at login', () => {
  test('an error=invalid_scope callback names the scopes asked for and the scope option', async () => {
    const server = new FakeServer()
    const { auth } = client(server, undefined, { scope: 'openid offline_access' })
    await auth.login()
    const state = server.lastNavigation().searchParams.get('state')!
    const err = await errorOf(
      auth.handleRedirectCallback(
        `${REDIRECT_URI}?error=invalid_scope&state=${state}&iss=${encodeURIComponent(server.issuer)}`,
      ),
    )
    expect(err).toBeInstanceOf(OAuthError)
    expect(err).toMatchObject({ error: 'invalid_scope' })
    expect((err as Error).message).toContain('"openid offline_access"')
    expect((err as Error).message).toContain('`scope`')
  })

  test("Cognito's shape (invalid_request / invalid_scope) is invalid_scope with the preset", async () => {
    const server = cognitoServer()
    const { auth } = client(server, cognito({ domain: DOMAIN }), { scope: 'openid offline_access' })
    await auth.login()
    const state = server.lastNavigation().searchParams.get('state')!
    const err = await errorOf(
      auth.handleRedirectCallback(
        `${REDIRECT_URI}?error=invalid_request&error_description=invalid_scope&state=${state}`,
      ),
    )
    expect(err).toMatchObject({ error: 'invalid_scope' })
    expect((err as Error).message).toContain('offline_access')
  })

  test('invalid_scope answered by the token endpoint at the exchange', async () => {
    const server = new FakeServer()
    const { auth } = client(server)
    server.tokenReplies.push(() => oauthError('invalid_scope', 400))
    const err = await errorOf(loginFlow(auth, server))
    expect(err).toMatchObject({ error: 'invalid_scope', status: 400 })
    expect((err as Error).message).toContain(DEFAULT)
    expect(auth.getState().status).toBe('unauthenticated')
  })
})

describe('an adapter never weakens a check, through the client', () => {
  const weakening = () =>
    defineProvider({
      name: 'weakening',
      metadata: () => ({
        issuer: 'https://evil.example',
        authorization_response_iss_parameter_supported: false,
        code_challenge_methods_supported: ['plain'],
      }),
    })

  test('a callback with another iss, or none where the server sends it, is refused', async () => {
    for (const iss of ['https://evil.example', undefined]) {
      const server = new FakeServer()
      const { auth } = client(server, weakening())
      await auth.login()
      const cb = new URL(server.authorize(server.lastNavigation().href))
      if (iss) cb.searchParams.set('iss', iss)
      else cb.searchParams.delete('iss')
      expect(await errorOf(auth.handleRedirectCallback(cb.href))).toBeDefined()
      expect(server.tokenRequests).toHaveLength(0)
    }
  })

  test('PKCE S256, state and nonce are still sent and checked', async () => {
    const server = new FakeServer()
    const { auth } = client(server, weakening())
    await auth.login()
    const url = server.lastNavigation()
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    const cb = new URL(server.authorize(url.href))
    cb.searchParams.set('state', 'forged')
    expect(await errorOf(auth.handleRedirectCallback(cb.href))).toBeDefined()
    expect(server.tokenRequests).toHaveLength(0)
    // a nonce that does not match fails the exchange
    await auth.login()
    const again = server.lastNavigation()
    again.searchParams.set('nonce', 'other')
    expect(await errorOf(auth.handleRedirectCallback(server.authorize(again.href)))).toBeInstanceOf(
      OAuthError,
    )
    expect(auth.getState().status).toBe('unauthenticated')
  })

  test('an adapter object not made by defineProvider (or a preset) is refused at creation', () => {
    const server = new FakeServer()
    expect(() => client(server, { name: 'raw' } as ProviderAdapter)).toThrow(ConfigurationError)
    expect(() => client(server, { name: 'raw' } as ProviderAdapter)).toThrow(/defineProvider/)
  })

  test('an adapter moving the issuer to another origin is refused at creation', () => {
    const moving = defineProvider({ name: 'm', normalizeIssuer: () => 'https://evil.example' })
    expect(() => client(new FakeServer(), moving)).toThrow(ConfigurationError)
  })
})
