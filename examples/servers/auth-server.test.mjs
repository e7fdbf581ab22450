import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import * as oauth from 'oauth4webapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startAuthServer } from './auth-server.mjs'
import { CookieJar } from './cookie-jar.mjs'
import { generateDpopKey } from './dpop-proof.mjs'
import {
  authorize,
  createPkce,
  loginProgrammatically,
  refreshTokens,
  tokenRequest,
} from './test-login.mjs'

const APP = 'http://localhost:5173'
const OTHER_APP = 'http://localhost:5174'
const API = 'http://localhost:9001'
const API_2 = 'http://localhost:9011'
const REDIRECT = `${APP}/callback`

/** @type {Awaited<ReturnType<typeof startAuthServer>>} */
let as
/** @type {Record<string, any>} */
let metadata

beforeAll(async () => {
  as = await startAuthServer({
    port: 0,
    appOrigins: [APP, OTHER_APP],
    apiResources: [API, API_2],
    accessTokenTtl: 120,
    testHooks: true,
  })
  metadata = await (await fetch(`${as.issuer}/.well-known/openid-configuration`)).json()
})
afterAll(async () => {
  await as?.close()
})

/** @param {string} token */
async function verifyWithIssuerKeys(token) {
  const jwks = await (await fetch(metadata.jwks_uri)).json()
  return jwtVerify(token, createLocalJWKSet(jwks), { issuer: as.issuer })
}

describe('discovery', () => {
  it('uses the real port in the issuer', () => {
    expect(as.port).toBeGreaterThan(0)
    expect(as.issuer).toBe(`http://localhost:${as.port}`)
    expect(metadata.issuer).toBe(as.issuer)
  })

  it('advertises S256 only, the iss parameter, revocation, logout and DPoP ES256', () => {
    expect(metadata.code_challenge_methods_supported).toEqual(['S256'])
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true)
    expect(metadata.revocation_endpoint).toBe(`${as.issuer}/token/revocation`)
    expect(metadata.end_session_endpoint).toBe(`${as.issuer}/session/end`)
    expect(metadata.dpop_signing_alg_values_supported).toContain('ES256')
    expect(metadata.response_types_supported).toEqual(['code'])
    expect(metadata.scopes_supported).toEqual(
      expect.arrayContaining(['openid', 'profile', 'email', 'offline_access', 'read', 'write']),
    )
  })

  it('publishes an EC P-256 and an RSA public key', async () => {
    const { keys } = await (await fetch(metadata.jwks_uri)).json()
    expect(keys.map((/** @type {any} */ k) => `${k.kty}:${k.alg}`).sort()).toEqual([
      'EC:ES256',
      'RSA:RS256',
    ])
    for (const key of keys) expect(key.d).toBeUndefined()
  })
})

describe('CORS at the token endpoint', () => {
  /** @param {string} origin */
  const tokenPost = (origin) =>
    fetch(metadata.token_endpoint, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: 'demo-spa',
        refresh_token: 'not-a-token',
      }),
    })

  it('exposes DPoP-Nonce and WWW-Authenticate to an app origin', async () => {
    for (const origin of [APP, OTHER_APP]) {
      const res = await tokenPost(origin)
      expect(res.status).toBe(400)
      expect(res.headers.get('access-control-allow-origin')).toBe(origin)
      const exposed = (res.headers.get('access-control-expose-headers') ?? '')
        .split(',')
        .map((h) => h.trim().toLowerCase())
      expect(exposed).toEqual(expect.arrayContaining(['dpop-nonce', 'www-authenticate']))
    }
  })

  it('gives another origin no CORS headers, on the request and on the preflight', async () => {
    const res = await tokenPost('http://evil.localhost:5173')
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
    expect(res.headers.get('access-control-expose-headers')).toBeNull()

    const preflight = await fetch(metadata.token_endpoint, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://evil.localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'dpop, content-type',
      },
    })
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
    expect(preflight.headers.get('access-control-allow-headers')).toBeNull()
  })

  it('answers an app preflight allowing the DPoP header', async () => {
    const preflight = await fetch(metadata.token_endpoint, {
      method: 'OPTIONS',
      headers: {
        origin: APP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'dpop, content-type',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(APP)
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('dpop')
  })
})

describe('authorization code + PKCE with a resource indicator', () => {
  it('issues an ES256 JWT access token for the API and a rotating refresh token', async () => {
    const { tokens } = await loginProgrammatically({
      issuer: as.issuer,
      redirectUri: REDIRECT,
      resource: API,
      login: 'bob',
    })
    expect(tokens.token_type).toBe('Bearer')
    expect(tokens.expires_in).toBe(120)
    expect(tokens.scope?.split(' ').sort()).toEqual(['read', 'write'])
    expect(typeof tokens.refresh_token).toBe('string')

    const header = decodeProtectedHeader(tokens.access_token)
    expect(header.alg).toBe('ES256')
    expect(header.typ).toBe('at+jwt')
    const { payload } = await verifyWithIssuerKeys(tokens.access_token)
    expect(payload.aud).toBe(API)
    expect(payload.sub).toBe('bob')
    expect(payload.client_id).toBe('demo-spa')
    expect(String(payload.scope).split(' ').sort()).toEqual(['read', 'write'])
    expect(payload.cnf).toBeUndefined()

    const idToken = decodeJwt(/** @type {string} */ (tokens.id_token))
    expect(decodeProtectedHeader(/** @type {string} */ (tokens.id_token)).alg).toBe('RS256')
    expect(idToken.aud).toBe('demo-spa')
    expect(idToken.name).toBe('Bob Example')
    expect(idToken.email).toBe('bob@example.com')

    // refresh without `resource`: a new JWT for the granted API, and a new refresh token
    const first = await refreshTokens({
      issuer: as.issuer,
      refreshToken: /** @type {string} */ (tokens.refresh_token),
    })
    expect(first.status).toBe(200)
    expect(first.body.refresh_token).toEqual(expect.any(String))
    expect(first.body.refresh_token).not.toBe(tokens.refresh_token)
    const refreshed = (await verifyWithIssuerKeys(first.body.access_token)).payload
    expect(refreshed.aud).toBe(API)
    expect(String(refreshed.scope).split(' ').sort()).toEqual(['read', 'write'])

    // the rotated (old) refresh token is rejected...
    const reuse = await refreshTokens({
      issuer: as.issuer,
      refreshToken: /** @type {string} */ (tokens.refresh_token),
    })
    expect(reuse.status).toBe(400)
    expect(reuse.body.error).toBe('invalid_grant')
    // ...and its reuse revokes the grant: the newest refresh token is dead too
    const afterReuse = await refreshTokens({
      issuer: as.issuer,
      refreshToken: first.body.refresh_token,
    })
    expect(afterReuse.body.error).toBe('invalid_grant')
  })

  it('refresh can name another granted resource, and repeats of `resource` work', async () => {
    const { tokens } = await loginProgrammatically({
      issuer: as.issuer,
      redirectUri: REDIRECT,
      resource: [API, API_2],
      tokenResource: API,
      scope: 'openid read',
    })
    expect(decodeJwt(tokens.access_token).aud).toBe(API)
    expect(tokens.scope).toBe('read')

    const forApi2 = await refreshTokens({
      issuer: as.issuer,
      refreshToken: /** @type {string} */ (tokens.refresh_token),
      resource: API_2,
    })
    expect(forApi2.status).toBe(200)
    expect(decodeJwt(forApi2.body.access_token).aud).toBe(API_2)
    expect(decodeJwt(forApi2.body.access_token).scope).toBe('read')

    const sameAgain = await refreshTokens({
      issuer: as.issuer,
      refreshToken: forApi2.body.refresh_token,
      resource: API,
    })
    expect(decodeJwt(sameAgain.body.access_token).aud).toBe(API)

    const notGranted = await refreshTokens({
      issuer: as.issuer,
      refreshToken: sameAgain.body.refresh_token,
      resource: 'http://localhost:9999',
    })
    expect(notGranted.status).toBe(400)
    expect(notGranted.body.error).toBe('invalid_target')
  })

  it('without a resource: an opaque access token that works at the userinfo endpoint', async () => {
    const { tokens } = await loginProgrammatically({
      issuer: as.issuer,
      redirectUri: `${APP}/`,
      scope: 'openid profile email',
      login: 'carol',
    })
    expect(tokens.access_token.split('.')).toHaveLength(1)
    expect(tokens.scope?.split(' ').sort()).toEqual(['email', 'openid', 'profile'])
    const res = await fetch(metadata.userinfo_endpoint, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ sub: 'carol', name: 'Carol Example' })
  })

  it('rejects an unregistered redirect URI and an unknown resource', async () => {
    await expect(
      authorize({ issuer: as.issuer, redirectUri: 'http://localhost:5173/other' }),
    ).rejects.toThrow(/HTTP 400/)
    await expect(
      authorize({ issuer: as.issuer, redirectUri: REDIRECT, resource: 'http://localhost:1234' }),
    ).rejects.toThrow(/invalid_target/)
  })

  it('requires PKCE', async () => {
    await expect(
      authorize({
        issuer: as.issuer,
        redirectUri: REDIRECT,
        extraParams: { code_challenge_method: 'plain' },
      }),
    ).rejects.toThrow(/invalid_request/)
  })

  it('revokes a refresh token at the revocation endpoint', async () => {
    const { tokens } = await loginProgrammatically({
      issuer: as.issuer,
      redirectUri: REDIRECT,
      resource: API,
    })
    const refreshToken = /** @type {string} */ (tokens.refresh_token)
    const res = await fetch(metadata.revocation_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: APP },
      body: new URLSearchParams({
        client_id: 'demo-spa',
        token: refreshToken,
        token_type_hint: 'refresh_token',
      }),
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe(APP)
    const after = await refreshTokens({ issuer: as.issuer, refreshToken })
    expect(after.status).toBe(400)
    expect(after.body.error).toBe('invalid_grant')
  })

  it('interoperates with oauth4webapi (iss check, ID token validation)', async () => {
    const issuer = new URL(as.issuer)
    const options = { [oauth.allowInsecureRequests]: true }
    const server = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, options),
    )
    const client = { client_id: 'demo-spa' }
    const codeVerifier = oauth.generateRandomCodeVerifier()
    const pkce = {
      codeVerifier,
      codeChallenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    }
    const state = oauth.generateRandomState()
    const nonce = oauth.generateRandomNonce()
    const { callbackUrl } = await authorize({
      issuer: as.issuer,
      redirectUri: REDIRECT,
      resource: API,
      pkce,
      state,
      nonce,
    })
    const params = oauth.validateAuthResponse(server, client, new URL(callbackUrl), state)
    const response = await oauth.authorizationCodeGrantRequest(
      server,
      client,
      oauth.None(),
      params,
      REDIRECT,
      codeVerifier,
      { ...options, additionalParameters: { resource: API } },
    )
    const result = await oauth.processAuthorizationCodeResponse(server, client, response, {
      expectedNonce: nonce,
      requireIdToken: true,
    })
    expect(result.token_type).toBe('bearer')
    expect(oauth.getValidatedIdTokenClaims(result)?.sub).toBe('alice')
  })
})

describe('DPoP at the token endpoint', () => {
  it('binds access and refresh tokens to the key and rotates DPoP-bound refresh tokens', async () => {
    const key = await generateDpopKey()
    const { tokens } = await loginProgrammatically({
      issuer: as.issuer,
      redirectUri: REDIRECT,
      resource: API,
      dpopKey: key,
    })
    expect(tokens.token_type).toBe('DPoP')
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt: key.thumbprint })

    const refreshToken = /** @type {string} */ (tokens.refresh_token)
    const withoutProof = await refreshTokens({ issuer: as.issuer, refreshToken })
    expect(withoutProof.body.error).toBe('invalid_grant')

    const otherKey = await generateDpopKey()
    const wrongKey = await refreshTokens({ issuer: as.issuer, refreshToken, dpopKey: otherKey })
    expect(wrongKey.body.error).toBe('invalid_grant')

    const ok = await refreshTokens({ issuer: as.issuer, refreshToken, dpopKey: key })
    expect(ok.status).toBe(200)
    expect(ok.body.refresh_token).not.toBe(refreshToken)
    expect(decodeJwt(ok.body.access_token).cnf).toEqual({ jkt: key.thumbprint })
    expect(decodeJwt(ok.body.access_token).aud).toBe(API)

    const reuse = await refreshTokens({ issuer: as.issuer, refreshToken, dpopKey: key })
    expect(reuse.body.error).toBe('invalid_grant')
  })
})

describe('silent authentication and logout', () => {
  it('answers prompt=none from the existing session, and the endpoint is framable', async () => {
    const jar = new CookieJar()
    await loginProgrammatically({ issuer: as.issuer, redirectUri: REDIRECT, resource: API, jar })
    expect(jar.names()).toContain('_session')

    // the raw response the hidden iframe gets: a redirect with a code, no anti-framing headers
    const { codeChallenge } = createPkce()
    const url = new URL(metadata.authorization_endpoint)
    url.search = new URLSearchParams({
      client_id: 'demo-spa',
      response_type: 'code',
      redirect_uri: `${APP}/silent-callback.html`,
      scope: 'openid',
      prompt: 'none',
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
      state: 'x',
    }).toString()
    const raw = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: String(jar.header(url)) },
    })
    expect(raw.status).toBe(303)
    expect(raw.headers.get('x-frame-options')).toBeNull()
    expect(raw.headers.get('content-security-policy') ?? '').not.toMatch(/frame-ancestors/)
    const location = new URL(String(raw.headers.get('location')))
    expect(location.searchParams.get('code')).toBeTruthy()
    expect(location.searchParams.get('iss')).toBe(as.issuer)

    // the same scopes and resource as the interactive login: no interaction needed
    const silent = await authorize({
      issuer: as.issuer,
      redirectUri: `${APP}/silent-callback.html`,
      prompt: 'none',
      resource: API,
      jar,
    })
    expect(silent.code).toEqual(expect.any(String))
  })

  it('prompt=none for scopes of a resource never granted returns consent_required', async () => {
    const jar = new CookieJar()
    await loginProgrammatically({ issuer: as.issuer, redirectUri: REDIRECT, scope: 'openid', jar })
    await expect(
      authorize({ issuer: as.issuer, redirectUri: REDIRECT, prompt: 'none', resource: API, jar }),
    ).rejects.toThrow(/consent_required/)
  })

  it('sets the session cookie SameSite=Lax, so same-site iframes (other localhost ports) send it', async () => {
    const jar = new CookieJar()
    await authorize({ issuer: as.issuer, redirectUri: REDIRECT, jar })
    const session = jar.setCookieHeaders.find((h) => h.startsWith('_session='))
    expect(session).toBeDefined()
    expect(session?.toLowerCase()).toMatch(/samesite=lax/)
    expect(session?.toLowerCase()).toMatch(/httponly/)
  })

  it('prompt=none without a session returns login_required', async () => {
    await expect(
      authorize({ issuer: as.issuer, redirectUri: `${APP}/silent-callback.html`, prompt: 'none' }),
    ).rejects.toThrow(/login_required/)
  })

  it('RP-initiated logout with id_token_hint redirects to post_logout_redirect_uri', async () => {
    const jar = new CookieJar()
    const { tokens } = await loginProgrammatically({
      issuer: as.issuer,
      redirectUri: REDIRECT,
      jar,
    })
    const endSession = new URL(metadata.end_session_endpoint)
    endSession.search = new URLSearchParams({
      id_token_hint: /** @type {string} */ (tokens.id_token),
      post_logout_redirect_uri: `${APP}/logged-out`,
      state: 'bye',
    }).toString()
    const logoutsBefore = as.stats.logout.count
    const page = await fetch(endSession, { headers: { cookie: String(jar.header(endSession)) } })
    jar.store(endSession, page.headers.getSetCookie())
    const html = await page.text()
    expect(page.status).toBe(200)
    expect(html).toMatch(/name="logout" value="yes"/)
    const action = new URL(String(/<form[^>]*action="([^"]+)"/.exec(html)?.[1]), endSession)
    const xsrf = String(/name="xsrf" value="([^"]+)"/.exec(html)?.[1])
    const confirm = await fetch(action, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: String(jar.header(action)),
      },
      body: new URLSearchParams({ xsrf, logout: 'yes' }),
    })
    expect(confirm.status).toBe(303)
    const location = new URL(String(confirm.headers.get('location')))
    expect(`${location.origin}${location.pathname}`).toBe(`${APP}/logged-out`)
    expect(location.searchParams.get('state')).toBe('bye')
    // the test hooks count the hit on the logout endpoint (not its confirmation), hint redacted
    expect(as.stats.logout.count).toBe(logoutsBefore + 1)
    expect(as.stats.logout.last).toEqual({
      path: '/session/end',
      params: {
        id_token_hint: '<redacted>',
        post_logout_redirect_uri: `${APP}/logged-out`,
        state: 'bye',
      },
    })

    // the session is gone: silent authentication now needs a login
    await expect(
      authorize({ issuer: as.issuer, redirectUri: REDIRECT, prompt: 'none', jar }),
    ).rejects.toThrow(/login_required/)
  })
})

describe('test hooks', () => {
  it('counts token requests by grant type, refresh errors and revocations; reset zeroes', async () => {
    const reset = await fetch(`${as.issuer}/__test/reset`, {
      method: 'POST',
      headers: { origin: APP },
    })
    expect(reset.status).toBe(200)
    expect(reset.headers.get('access-control-allow-origin')).toBe(APP)
    expect(await (await fetch(`${as.issuer}/__test/stats`)).json()).toEqual({
      token: { authorization_code: 0, refresh_token: 0, device_code: 0 },
      deviceSlowDown: 0,
      revocation: 0,
      refreshTokenErrors: 0,
      logout: { count: 0, last: null },
    })

    const { tokens } = await loginProgrammatically({
      issuer: as.issuer,
      redirectUri: REDIRECT,
      resource: API,
    })
    const refreshToken = /** @type {string} */ (tokens.refresh_token)
    const ok = await refreshTokens({ issuer: as.issuer, refreshToken })
    await refreshTokens({ issuer: as.issuer, refreshToken }) // reuse → error
    await fetch(metadata.revocation_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'demo-spa', token: ok.body.refresh_token }),
    })

    const statsRes = await fetch(`${as.issuer}/__test/stats`, { headers: { origin: APP } })
    expect(statsRes.headers.get('access-control-allow-origin')).toBe(APP)
    const expected = {
      token: { authorization_code: 1, refresh_token: 2, device_code: 0 },
      deviceSlowDown: 0,
      revocation: 1,
      refreshTokenErrors: 1,
      logout: { count: 0, last: null },
    }
    expect(await statsRes.json()).toEqual(expected)
    expect(as.stats).toEqual(expected)

    await fetch(`${as.issuer}/__test/reset`, { method: 'POST' })
    expect(as.stats.token.refresh_token).toBe(0)
  })

  it('are absent unless testHooks is set', async () => {
    const plain = await startAuthServer({ port: 0 })
    try {
      expect((await fetch(`${plain.issuer}/__test/stats`)).status).toBe(404)
      expect((await fetch(`${plain.issuer}/__test/reset`, { method: 'POST' })).status).toBe(404)
    } finally {
      await plain.close()
    }
  })
})

describe('requireDpopNonce', () => {
  it('asks for a nonce with use_dpop_nonce and accepts the retry', async () => {
    const strict = await startAuthServer({ port: 0, requireDpopNonce: true, apiResources: [API] })
    try {
      const key = await generateDpopKey()
      const { tokens, dpopNonce } = await loginProgrammatically({
        issuer: strict.issuer,
        redirectUri: REDIRECT,
        resource: API,
        dpopKey: key,
      })
      expect(tokens.token_type).toBe('DPoP')
      expect(dpopNonce).toEqual(expect.any(String))

      // a proof without nonce is refused with a fresh nonce, exposed to the app
      const res = await tokenRequest({
        issuer: strict.issuer,
        params: {
          grant_type: 'refresh_token',
          client_id: 'demo-spa',
          refresh_token: String(tokens.refresh_token),
        },
        dpopKey: key,
        headers: { origin: APP },
      })
      // tokenRequest retried with the nonce: the refresh succeeded
      expect(res.status).toBe(200)

      const { token_endpoint: tokenEndpoint } = await (
        await fetch(`${strict.issuer}/.well-known/openid-configuration`)
      ).json()
      const { createDpopProof } = await import('./dpop-proof.mjs')
      const bare = await fetch(tokenEndpoint, {
        method: 'POST',
        headers: {
          origin: APP,
          'content-type': 'application/x-www-form-urlencoded',
          dpop: await createDpopProof(key, { htm: 'POST', htu: tokenEndpoint }),
        },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: 'demo-spa',
          refresh_token: res.body.refresh_token,
        }),
      })
      expect(bare.status).toBe(400)
      expect((await bare.json()).error).toBe('use_dpop_nonce')
      expect(bare.headers.get('dpop-nonce')).toEqual(expect.any(String))
      expect(bare.headers.get('access-control-expose-headers')).toMatch(/DPoP-Nonce/i)
    } finally {
      await strict.close()
    }
  })
})

describe('device flow (RFC 8628) and PAR (RFC 9126)', () => {
  /** @param {Record<string, string>} body */
  const post = (path, body, origin = APP) =>
    fetch(`${as.issuer}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
      body: new URLSearchParams(body),
    })

  it('gives a user code with the polling interval, answers pending, and slow_down to early polls', async () => {
    expect(metadata.device_authorization_endpoint).toBe(`${as.issuer}/device/auth`)
    const res = await post('/device/auth', { client_id: 'demo-spa', scope: 'openid' })
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe(APP)
    const body = await res.json()
    expect(body).toMatchObject({ interval: 5, verification_uri: `${as.issuer}/device` })
    const before = structuredClone(as.stats)
    const grant = {
      client_id: 'demo-spa',
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      device_code: body.device_code,
    }
    // At once, well inside the 5 s interval: too early.
    const early = await post('/token', grant)
    expect(early.status).toBe(400)
    expect((await early.json()).error).toBe('slow_down')
    expect(as.stats.deviceSlowDown).toBe(before.deviceSlowDown + 1)
    expect(as.stats.token.device_code).toBe(before.token.device_code + 1)
  })

  it('registers a client that must use PAR, with CORS for the app at the PAR endpoint', async () => {
    const pkce = await createPkce()
    const params = {
      client_id: 'demo-spa-par',
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid',
      code_challenge: pkce.codeChallenge,
      code_challenge_method: 'S256',
      state: 's',
    }
    const direct = await fetch(`${as.issuer}/auth?${new URLSearchParams(params)}`, {
      redirect: 'manual',
    })
    expect(direct.headers.get('location') ?? (await direct.text())).toMatch(
      /invalid_request|pushed/i,
    )
    const pushed = await post('/request', params)
    expect(pushed.status).toBe(201)
    expect(pushed.headers.get('access-control-allow-origin')).toBe(APP)
    expect((await pushed.json()).request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:/)
  })
})

describe('Cross-Origin-Opener-Policy on the login pages', () => {
  it('is off by default and switched by the test hook, on pages only', async () => {
    const page = () =>
      fetch(`${as.issuer}/device`).then((r) => r.headers.get('cross-origin-opener-policy'))
    expect(await page()).toBeNull()
    await fetch(`${as.issuer}/__test/coop?on=1`, { method: 'POST' })
    expect(await page()).toBe('same-origin')
    const metadataRes = await fetch(`${as.issuer}/.well-known/openid-configuration`)
    expect(metadataRes.headers.get('cross-origin-opener-policy')).toBeNull()
    await fetch(`${as.issuer}/__test/coop?on=0`, { method: 'POST' })
    expect(await page()).toBeNull()
  })
})
