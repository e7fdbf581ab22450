import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose'
import * as oauth from 'oauth4webapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startAuthServer } from './auth-server.mjs'
import { CookieJar } from './cookie-jar.mjs'
import { startServers } from './start.mjs'
import { authorize, loginProgrammatically, refreshTokens } from './test-login.mjs'

const APP = 'http://localhost:5173'
const API = 'http://localhost:9001'
const REDIRECT = `${APP}/callback`
const LOGGED_OUT = `${APP}/logged-out`
const insecure = { [oauth.allowInsecureRequests]: true }

/** @param {import('./providers.mjs').ProviderName} provider */
async function start(provider) {
  const as = await startAuthServer({
    port: 0,
    provider,
    appOrigins: [APP],
    apiResources: [API],
    testHooks: true,
  })
  const base = as.issuer.replace(/\/$/, '')
  const metadata = await (await fetch(`${base}/.well-known/openid-configuration`)).json()
  return { as, metadata }
}

/**
 * Verifies a JWT with the keys the metadata names: a token really signed by the stand-in.
 *
 * @param {Record<string, any>} metadata
 * @param {string} token
 * @param {string} issuer
 */
async function verify(metadata, token, issuer) {
  const jwks = await (await fetch(metadata.jwks_uri)).json()
  return (await jwtVerify(token, createLocalJWKSet(jwks), { issuer })).payload
}

/**
 * GET without following redirects; returns status, Location and body.
 *
 * @param {string | URL} url
 * @param {CookieJar} [jar]
 */
async function get(url, jar) {
  const cookie = jar?.header(url)
  const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} })
  jar?.store(url, res.headers.getSetCookie())
  return { status: res.status, location: res.headers.get('location'), body: await res.text() }
}

/** Test hooks live at the server's root, whatever the issuer's path. @param {string} issuer */
const stats = async (issuer) => (await fetch(`${new URL(issuer).origin}/__test/stats`)).json()

/**
 * Confirms oidc-provider's logout page (what the auto-submit script or the user's click does).
 *
 * @param {string} pageUrl
 * @param {string} html
 * @param {CookieJar} jar
 */
async function confirmLogout(pageUrl, html, jar) {
  const action = new URL(String(/<form[^>]*action="([^"]+)"/.exec(html)?.[1]), pageUrl)
  const xsrf = String(/name="xsrf" value="([^"]+)"/.exec(html)?.[1])
  const res = await fetch(action, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: String(jar.header(action)),
    },
    body: new URLSearchParams({ xsrf, logout: 'yes' }),
  })
  return { status: res.status, location: res.headers.get('location') }
}

describe('auth0 stand-in', () => {
  /** @type {Awaited<ReturnType<typeof start>>} */
  let s
  beforeAll(async () => {
    s = await start('auth0')
  })
  afterAll(() => s?.as.close())

  it('has an issuer with a trailing slash, Auth0 paths and no end_session_endpoint', async () => {
    const origin = `http://localhost:${s.as.port}`
    expect(s.as.issuer).toBe(`${origin}/`)
    expect(s.metadata.issuer).toBe(`${origin}/`)
    expect(s.metadata.authorization_endpoint).toBe(`${origin}/authorize`)
    expect(s.metadata.token_endpoint).toBe(`${origin}/oauth/token`)
    expect(s.metadata.revocation_endpoint).toBe(`${origin}/oauth/revoke`)
    expect(s.metadata.jwks_uri).toBe(`${origin}/.well-known/jwks.json`)
    expect(s.metadata).not.toHaveProperty('end_session_endpoint')
    // "issuer + /.well-known" with the slash doubled is answered too
    expect((await fetch(`${origin}//.well-known/openid-configuration`)).status).toBe(200)
    // oauth4webapi: the issuer configured without its slash is the same URL
    const as = await oauth.processDiscoveryResponse(
      new URL(origin),
      await oauth.discoveryRequest(new URL(origin), insecure),
    )
    expect(as.issuer).toBe(`${origin}/`)
  })

  it('maps `audience` to the API: a JWT for it, signed by the server, iss with the slash', async () => {
    const { tokens } = await loginProgrammatically({
      issuer: s.as.issuer,
      redirectUri: REDIRECT,
      scope: 'openid profile email offline_access read',
      extraParams: { audience: API },
    })
    const at = await verify(s.metadata, tokens.access_token, s.as.issuer)
    expect(at.aud).toBe(API)
    expect(at.scope).toBe('read')
    const id = await verify(s.metadata, String(tokens.id_token), s.as.issuer)
    expect(id.iss).toBe(s.as.issuer)
    // without audience: an opaque token (no API)
    const plain = await loginProgrammatically({
      issuer: s.as.issuer,
      redirectUri: REDIRECT,
      scope: 'openid offline_access',
    })
    expect(plain.tokens.access_token.split('.')).toHaveLength(1)
  })

  it('answers a dead refresh token with 403 invalid_grant', async () => {
    const { tokens } = await loginProgrammatically({
      issuer: s.as.issuer,
      redirectUri: REDIRECT,
      scope: 'openid offline_access',
    })
    const rt = String(tokens.refresh_token)
    const ok = await refreshTokens({ issuer: s.as.issuer, refreshToken: rt })
    expect(ok.status).toBe(200)
    expect(ok.body.refresh_token).not.toBe(rt) // rotation on
    const dead = await refreshTokens({ issuer: s.as.issuer, refreshToken: rt })
    expect(dead.status).toBe(403)
    expect(dead.body.error).toBe('invalid_grant')
    const unknown = await refreshTokens({ issuer: s.as.issuer, refreshToken: 'nope' })
    expect(unknown.status).toBe(403)
    expect((await stats(s.as.issuer)).refreshTokenErrors).toBeGreaterThanOrEqual(2)
  })

  it('logs out at /v2/logout?client_id&returnTo and returns only to an allowed URL', async () => {
    const origin = `http://localhost:${s.as.port}`
    const jar = new CookieJar()
    await loginProgrammatically({ issuer: s.as.issuer, redirectUri: REDIRECT, jar })
    await fetch(`${origin}/__test/reset`, { method: 'POST' })

    const bad = await get(`${origin}/v2/logout?client_id=demo-spa&returnTo=https://evil.example/`)
    expect(bad.status).toBe(400)
    expect(bad.body).toMatch(/Allowed Logout URLs/)
    const noClient = await get(
      `${origin}/v2/logout?returnTo=${encodeURIComponent('https://x.example/')}`,
    )
    expect(noClient.status).toBe(400)

    const url = `${origin}/v2/logout?client_id=demo-spa&returnTo=${encodeURIComponent(LOGGED_OUT)}`
    const res = await get(url, jar)
    expect(res.status).toBe(302)
    expect(res.location).toBe(LOGGED_OUT)
    const st = await stats(s.as.issuer)
    expect(st.logout.count).toBe(3)
    expect(st.logout.last).toEqual({
      path: '/v2/logout',
      params: { client_id: 'demo-spa', returnTo: LOGGED_OUT },
    })
    // the server-side session is gone
    await expect(
      authorize({ issuer: s.as.issuer, redirectUri: REDIRECT, prompt: 'none', jar }),
    ).rejects.toThrow(/login_required/)

    // with client_id and no returnTo: the first allowed logout URL
    const first = await get(`${origin}/v2/logout?client_id=demo-spa`)
    expect(first.location).toBe(`${APP}/`)
  })
})

describe('cognito stand-in', () => {
  /** @type {Awaited<ReturnType<typeof start>>} */
  let s
  let origin = ''
  beforeAll(async () => {
    s = await start('cognito')
    origin = `http://localhost:${s.as.port}`
  })
  afterAll(() => s?.as.close())

  it('lists a /logout end_session_endpoint, no revocation endpoint, no offline_access', () => {
    expect(s.as.issuer).toBe(`${origin}/us-east-1_LocalDemo`)
    expect(s.as.providerInfo.domain).toBe(origin)
    expect(s.metadata.issuer).toBe(s.as.issuer)
    expect(s.metadata.authorization_endpoint).toBe(`${origin}/oauth2/authorize`)
    expect(s.metadata.token_endpoint).toBe(`${origin}/oauth2/token`)
    expect(s.metadata.userinfo_endpoint).toBe(`${origin}/oauth2/userInfo`)
    expect(s.metadata.end_session_endpoint).toBe(`${origin}/logout`)
    expect(s.metadata.jwks_uri).toBe(`${s.as.issuer}/.well-known/jwks.json`)
    expect(s.metadata).not.toHaveProperty('revocation_endpoint')
    expect(s.metadata).not.toHaveProperty('code_challenge_methods_supported')
    expect(s.metadata).not.toHaveProperty('authorization_response_iss_parameter_supported')
    expect(s.metadata.scopes_supported).toEqual(['openid', 'email', 'phone', 'profile'])
  })

  it('refuses offline_access the way Cognito does (invalid_request / invalid_scope)', async () => {
    const err = await authorize({
      issuer: s.as.issuer,
      redirectUri: REDIRECT,
      scope: 'openid profile email offline_access',
      state: 'st',
      expectedIss: null,
    }).catch((e) => e)
    expect(err.response).toEqual({
      error: 'invalid_request',
      error_description: 'invalid_scope',
      state: 'st',
    })
  })

  it('issues a refresh token without offline_access and never rotates it', async () => {
    const { tokens } = await loginProgrammatically({
      issuer: s.as.issuer,
      redirectUri: REDIRECT,
      scope: 'openid email profile',
      expectedIss: null,
    })
    const id = await verify(s.metadata, String(tokens.id_token), s.as.issuer)
    expect(id['cognito:username']).toBe('alice')
    const rt = String(tokens.refresh_token)
    expect(rt).toBeTruthy()
    for (let i = 0; i < 2; i++) {
      const res = await refreshTokens({ issuer: s.as.issuer, refreshToken: rt })
      expect(res.status).toBe(200)
      expect(res.body.access_token).toEqual(expect.any(String))
      expect(res.body).not.toHaveProperty('refresh_token')
    }
    // revocation at DOMAIN/oauth2/revoke although the metadata does not say so
    const revoked = await fetch(`${origin}/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: APP },
      body: new URLSearchParams({ client_id: 'demo-spa', token: rt }),
    })
    expect(revoked.status).toBe(200)
    expect(revoked.headers.get('access-control-allow-origin')).toBe(APP)
    const after = await refreshTokens({ issuer: s.as.issuer, refreshToken: rt })
    expect(after.status).toBe(400)
    expect(after.body.error).toBe('invalid_grant')
  })

  it('/logout wants client_id and logout_uri; RP-initiated logout parameters end on an error page', async () => {
    const jar = new CookieJar()
    const { tokens } = await loginProgrammatically({
      issuer: s.as.issuer,
      redirectUri: REDIRECT,
      scope: 'openid',
      expectedIss: null,
      jar,
    })
    await fetch(`${origin}/__test/reset`, { method: 'POST' })

    const noClient = await get(`${origin}/logout?logout_uri=${encodeURIComponent(LOGGED_OUT)}`)
    expect(noClient.status).toBe(400)
    expect(noClient.body).toMatch(/client_id/)

    // what a generic OIDC client sends: ignored parameters, so no way back to the app
    const generic = new URL(s.metadata.end_session_endpoint)
    generic.search = new URLSearchParams({
      client_id: 'demo-spa',
      id_token_hint: String(tokens.id_token),
      post_logout_redirect_uri: LOGGED_OUT,
    }).toString()
    const rp = await get(generic, jar)
    expect(rp.status).toBe(400)
    expect(rp.location).toBeNull()

    const unregistered = await get(
      `${origin}/logout?client_id=demo-spa&logout_uri=${encodeURIComponent('https://evil.example/')}`,
    )
    expect(unregistered.status).toBe(400)

    const ok = await get(
      `${origin}/logout?client_id=demo-spa&logout_uri=${encodeURIComponent(LOGGED_OUT)}`,
      jar,
    )
    expect(ok.status).toBe(302)
    expect(ok.location).toBe(LOGGED_OUT)
    const st = await stats(origin)
    expect(st.logout.count).toBe(4)
    expect(st.logout.last).toEqual({
      path: '/logout',
      params: { client_id: 'demo-spa', logout_uri: LOGGED_OUT },
    })
    await expect(
      authorize({
        issuer: s.as.issuer,
        redirectUri: REDIRECT,
        scope: 'openid',
        prompt: 'none',
        jar,
        expectedIss: null,
      }),
    ).rejects.toThrow(/login_required/)
  })

  it('sends no iss on the authorization response', async () => {
    const { callbackUrl } = await authorize({
      issuer: s.as.issuer,
      redirectUri: REDIRECT,
      scope: 'openid',
      expectedIss: null,
    })
    expect(new URL(callbackUrl).searchParams.has('iss')).toBe(false)
  })
})

describe('entra stand-in', () => {
  /** @type {Awaited<ReturnType<typeof start>>} */
  let s
  let origin = ''
  let tid = ''
  beforeAll(async () => {
    s = await start('entra')
    origin = `http://localhost:${s.as.port}`
    tid = String(s.as.providerInfo.tenantId)
  })
  afterAll(() => s?.as.close())

  it('names the {tenantid} template as issuer in the multi-tenant metadata', async () => {
    expect(tid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    expect(s.as.issuer).toBe(`${origin}/common/v2.0`)
    expect(s.as.tokenIssuer).toBe(`${origin}/${tid}/v2.0`)
    expect(s.metadata.issuer).toBe(`${origin}/{tenantid}/v2.0`)
    expect(s.metadata.authorization_endpoint).toBe(`${origin}/common/oauth2/v2.0/authorize`)
    expect(s.metadata.token_endpoint).toBe(`${origin}/common/oauth2/v2.0/token`)
    expect(s.metadata.end_session_endpoint).toBe(`${origin}/common/oauth2/v2.0/logout`)
    expect(s.metadata.jwks_uri).toBe(`${origin}/common/discovery/v2.0/keys`)
    expect(s.metadata).not.toHaveProperty('revocation_endpoint')
    expect(s.metadata).not.toHaveProperty('authorization_response_iss_parameter_supported')
    expect(s.metadata.scopes_supported).toEqual(['openid', 'profile', 'email', 'offline_access'])
    const orgs = await (
      await fetch(`${origin}/organizations/v2.0/.well-known/openid-configuration`)
    ).json()
    expect(orgs.issuer).toBe(`${origin}/{tenantid}/v2.0`)
    const tenant = await (
      await fetch(`${s.as.tokenIssuer}/.well-known/openid-configuration`)
    ).json()
    expect(tenant.issuer).toBe(s.as.tokenIssuer)
    expect(tenant.token_endpoint).toBe(`${origin}/${tid}/oauth2/v2.0/token`)
    expect((await fetch(`${origin}/${tid}/oauth2/v2.0/revoke`, { method: 'POST' })).status).toBe(
      404,
    )
    expect((await fetch(`${origin}/other/v2.0/.well-known/openid-configuration`)).status).toBe(404)
  })

  it('a generic client fails discovery; the template is what the document names', async () => {
    const common = new URL(s.as.issuer)
    await expect(
      oauth.processDiscoveryResponse(common, await oauth.discoveryRequest(common, insecure)),
    ).rejects.toThrow(/issuer/)
    const as = await oauth.processDiscoveryResponse(
      new URL(`${origin}/{tenantid}/v2.0`),
      await oauth.discoveryRequest(common, insecure),
    )
    expect(as.issuer).toBe(`${origin}/{tenantid}/v2.0`)
  })

  it('signs ID tokens with iss = the tenant issuer and a tid claim; iss checks need the tid filled in', async () => {
    const as = /** @type {oauth.AuthorizationServer} */ (s.metadata)
    const client = { client_id: 'demo-spa' }
    const codeVerifier = oauth.generateRandomCodeVerifier()
    const nonce = oauth.generateRandomNonce()
    const state = oauth.generateRandomState()
    const { callbackUrl } = await authorize({
      issuer: s.as.issuer,
      redirectUri: REDIRECT,
      scope: 'openid profile offline_access read',
      resource: API,
      pkce: { codeVerifier, codeChallenge: await oauth.calculatePKCECodeChallenge(codeVerifier) },
      nonce,
      state,
      expectedIss: null,
    })
    const params = oauth.validateAuthResponse(as, client, new URL(callbackUrl), state)
    const exchange = () =>
      oauth.authorizationCodeGrantRequest(
        as,
        client,
        oauth.None(),
        params,
        REDIRECT,
        codeVerifier,
        {
          ...insecure,
          additionalParameters: { resource: API },
        },
      )
    const response = await exchange()
    // the template as issuer: the exact iss check fails, as it does for generic clients
    await expect(
      oauth.processAuthorizationCodeResponse(as, client, response.clone(), {
        expectedNonce: nonce,
      }),
    ).rejects.toThrow(/iss/)
    // the tid filled in: passes, and oauth4webapi still compared iss exactly
    const body = await response.clone().json()
    const claims = decodeJwt(body.id_token)
    expect(claims.tid).toBe(tid)
    const concrete = `${origin}/${claims.tid}/v2.0`
    const result = await oauth.processAuthorizationCodeResponse(
      { ...as, issuer: concrete },
      client,
      response,
      { expectedNonce: nonce },
    )
    expect(oauth.getValidatedIdTokenClaims(result)?.iss).toBe(s.as.tokenIssuer)
    // really signed by the server's keys, found through the /common document
    const id = await verify(s.metadata, String(result.id_token), s.as.tokenIssuer)
    expect(id.tid).toBe(tid)
    const at = await verify(s.metadata, result.access_token, s.as.tokenIssuer)
    expect(at).toMatchObject({ aud: API, tid })
  })

  it('logs out at the end_session_endpoint with post_logout_redirect_uri, counted', async () => {
    const jar = new CookieJar()
    await loginProgrammatically({
      issuer: s.as.issuer,
      redirectUri: REDIRECT,
      scope: 'openid',
      expectedIss: null,
      jar,
    })
    await fetch(`${origin}/__test/reset`, { method: 'POST' })
    const url = new URL(s.metadata.end_session_endpoint)
    url.search = new URLSearchParams({
      client_id: 'demo-spa',
      post_logout_redirect_uri: LOGGED_OUT,
    }).toString()
    const page = await get(url, jar)
    expect(page.status).toBe(200)
    const done = await confirmLogout(url.href, page.body, jar)
    expect(done.location).toBe(LOGGED_OUT)
    const st = await stats(origin)
    expect(st.logout).toEqual({
      count: 1,
      last: {
        path: '/common/oauth2/v2.0/logout',
        params: { client_id: 'demo-spa', post_logout_redirect_uri: LOGGED_OUT },
      },
    })
  })
})

describe('keycloak stand-in', () => {
  /** @type {Awaited<ReturnType<typeof start>>} */
  let s
  let origin = ''
  beforeAll(async () => {
    s = await start('keycloak')
    origin = `http://localhost:${s.as.port}`
  })
  afterAll(() => s?.as.close())

  it('has a realm issuer and the openid-connect paths', () => {
    expect(s.as.issuer).toBe(`${origin}/realms/demo`)
    expect(s.metadata.issuer).toBe(s.as.issuer)
    expect(s.metadata.authorization_endpoint).toBe(
      `${origin}/realms/demo/protocol/openid-connect/auth`,
    )
    expect(s.metadata.end_session_endpoint).toBe(
      `${origin}/realms/demo/protocol/openid-connect/logout`,
    )
    expect(s.metadata.revocation_endpoint).toBe(
      `${origin}/realms/demo/protocol/openid-connect/revoke`,
    )
  })

  it('adds session_state to the callback; tokens carry the realm issuer', async () => {
    const { callbackUrl } = await authorize({ issuer: s.as.issuer, redirectUri: REDIRECT })
    const params = new URL(callbackUrl).searchParams
    expect(params.get('session_state')).toEqual(expect.any(String))
    expect(params.get('iss')).toBe(s.as.issuer)
    const { tokens } = await loginProgrammatically({ issuer: s.as.issuer, redirectUri: REDIRECT })
    expect((await verify(s.metadata, String(tokens.id_token), s.as.issuer)).sub).toBe('alice')
  })

  it('refuses post_logout_redirect_uri without id_token_hint or client_id; confirms only without a hint', async () => {
    const end = s.metadata.end_session_endpoint
    const bare = await get(`${end}?post_logout_redirect_uri=${encodeURIComponent(LOGGED_OUT)}`)
    expect(bare.status).toBe(400)
    expect(bare.body).toMatch(/Missing parameters: id_token_hint/)

    const withClient = await get(
      `${end}?client_id=demo-spa&post_logout_redirect_uri=${encodeURIComponent(LOGGED_OUT)}`,
    )
    expect(withClient.status).toBe(200)
    expect(withClient.body).toMatch(/name="logout" value="yes"/)
    expect(withClient.body).not.toMatch(/f\.submit\(\)/)

    const jar = new CookieJar()
    const { tokens } = await loginProgrammatically({
      issuer: s.as.issuer,
      redirectUri: REDIRECT,
      jar,
    })
    const url = new URL(end)
    url.search = new URLSearchParams({
      id_token_hint: String(tokens.id_token),
      post_logout_redirect_uri: LOGGED_OUT,
      state: 'bye',
    }).toString()
    const page = await get(url, jar)
    expect(page.status).toBe(200)
    expect(page.body).toMatch(/f\.submit\(\)/) // logs out without asking
    const done = await confirmLogout(url.href, page.body, jar)
    expect(done.location).toBe(`${LOGGED_OUT}?state=bye`)
    const st = await stats(s.as.issuer)
    expect(st.logout.count).toBe(3)
    expect(st.logout.last).toEqual({
      path: '/realms/demo/protocol/openid-connect/logout',
      params: { id_token_hint: '<redacted>', post_logout_redirect_uri: LOGGED_OUT, state: 'bye' },
    })
  })
})

describe('okta stand-in', () => {
  /** @type {Awaited<ReturnType<typeof start>>} */
  let s
  let origin = ''
  beforeAll(async () => {
    s = await start('okta')
    origin = `http://localhost:${s.as.port}`
  })
  afterAll(() => s?.as.close())

  it('has a custom authorization server issuer and /v1 paths', () => {
    expect(s.as.issuer).toBe(`${origin}/oauth2/default`)
    expect(s.metadata.issuer).toBe(s.as.issuer)
    expect(s.metadata.token_endpoint).toBe(`${origin}/oauth2/default/v1/token`)
    expect(s.metadata.end_session_endpoint).toBe(`${origin}/oauth2/default/v1/logout`)
    expect(s.metadata.jwks_uri).toBe(`${origin}/oauth2/default/v1/keys`)
  })

  it('requires id_token_hint at the logout endpoint and logs out without asking', async () => {
    const end = s.metadata.end_session_endpoint
    const noHint = await get(
      `${end}?client_id=demo-spa&post_logout_redirect_uri=${encodeURIComponent(LOGGED_OUT)}`,
    )
    expect(noHint.status).toBe(400)
    expect(noHint.body).toMatch(/id_token_hint/)

    const jar = new CookieJar()
    const { tokens } = await loginProgrammatically({
      issuer: s.as.issuer,
      redirectUri: REDIRECT,
      jar,
    })
    const url = new URL(end)
    url.search = new URLSearchParams({
      id_token_hint: String(tokens.id_token),
      post_logout_redirect_uri: LOGGED_OUT,
    }).toString()
    const page = await get(url, jar)
    expect(page.body).toMatch(/f\.submit\(\)/)
    const done = await confirmLogout(url.href, page.body, jar)
    expect(done.location).toBe(LOGGED_OUT)
    expect((await stats(s.as.issuer)).logout.count).toBe(2)
  })
})

describe('startServers({ provider })', () => {
  it('rejects an unknown PROVIDER with the list of known ones', async () => {
    await expect(startServers({ env: { PROVIDER: 'google', AUTH_PORT: '0' } })).rejects.toThrow(
      /auth0, cognito, entra, keycloak, okta/,
    )
  })

  it.each(['auth0', 'cognito', 'entra', 'keycloak', 'okta'])(
    '%s: the API accepts the stand-in’s access tokens',
    async (provider) => {
      const servers = await startServers({
        authPort: 0,
        apiPort: 0,
        echoPort: 0,
        env: { PROVIDER: provider },
      })
      try {
        expect(servers.provider).toBe(provider)
        const noIss = provider === 'cognito' || provider === 'entra'
        const { tokens } = await loginProgrammatically({
          issuer: servers.issuer,
          redirectUri: REDIRECT,
          scope: provider === 'cognito' ? 'openid profile read' : 'openid offline_access read',
          resource: provider === 'auth0' ? undefined : servers.apiUrl,
          extraParams: provider === 'auth0' ? { audience: servers.apiUrl } : undefined,
          expectedIss: noIss ? null : undefined,
        })
        const res = await fetch(`${servers.apiUrl}/api/user-profile`, {
          headers: { authorization: `Bearer ${tokens.access_token}` },
        })
        expect(res.status).toBe(200)
        expect(await res.json()).toMatchObject({ sub: 'alice' })
      } finally {
        await servers.close()
      }
    },
  )
})
