import * as oauth from 'oauth4webapi'
import { describe, expect, test } from 'vitest'
import { ConfigurationError, OAuthError } from './errors.js'
import {
  applyMetadata,
  auth0,
  authorizationParams,
  callbackIssuer,
  cognito,
  DEFAULT_SCOPE,
  defaultScope,
  defineProvider,
  entra,
  expectedIssuer,
  keycloak,
  logoutUrl,
  mapOAuthError,
  normalizeIssuer,
  okta,
  resolveIssuer,
  serverForTokenResponse,
  tokenParams,
  type ProviderAdapter,
  type ServerMetadata,
} from './providers.js'
import { idToken, json } from './test/fake-server.js'

const CLIENT = 'spa-client'
const BACK = 'https://app.example/logged-out'
const ID_TOKEN = idToken({ iss: 'https://as.example', sub: 'alice', aud: CLIENT })
const TID = '72f988bf-86f1-41af-91ab-2d7cd011db47'
const OTHER_TID = '9188040d-6c67-4c5b-b112-36a304b66dad'
const MS = 'https://login.microsoftonline.com'
const TEMPLATE = `${MS}/{tenantid}/v2.0`

const server = (extra: Partial<ServerMetadata> = {}): ServerMetadata => ({
  issuer: 'https://as.example',
  authorization_endpoint: 'https://as.example/authorize',
  token_endpoint: 'https://as.example/token',
  ...extra,
})
const params = (url: URL | undefined) => (url ? [...url.searchParams] : undefined)
const base = (url: URL | undefined) => url && `${url.origin}${url.pathname}`
const ctx = { issuer: 'https://as.example', clientId: CLIENT }
const logout = (as: ServerMetadata, adapter?: ProviderAdapter, idToken: string | null = ID_TOKEN) =>
  logoutUrl(as, adapter, {
    clientId: CLIENT,
    idToken: idToken ?? undefined,
    postLogoutRedirectUri: BACK,
  })

describe('logout URLs: exactly the parameters each provider needs', () => {
  test('generic RP-initiated logout (no adapter, keycloak)', () => {
    const as = server({ end_session_endpoint: 'https://as.example/logout' })
    for (const adapter of [undefined, keycloak()]) {
      const url = logout(as, adapter)
      expect(base(url)).toBe('https://as.example/logout')
      expect(params(url)).toEqual([
        ['client_id', CLIENT],
        ['id_token_hint', ID_TOKEN],
        ['post_logout_redirect_uri', BACK],
      ])
      // keycloak without an ID token: client_id still identifies the app
      expect(params(logout(as, adapter, null))).toEqual([
        ['client_id', CLIENT],
        ['post_logout_redirect_uri', BACK],
      ])
    }
    expect(logout(server(), undefined)).toBeUndefined()
  })

  test('cognito: DOMAIN/logout with client_id and logout_uri only, whatever the metadata says', () => {
    const as = server({
      issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc',
      end_session_endpoint: 'https://myapp.auth.us-east-1.amazoncognito.com/logout',
    })
    const url = logout(as, cognito({ domain: 'https://myapp.auth.us-east-1.amazoncognito.com/' }))
    expect(base(url)).toBe('https://myapp.auth.us-east-1.amazoncognito.com/logout')
    expect(params(url)).toEqual([
      ['client_id', CLIENT],
      ['logout_uri', BACK],
    ])
    // a bare host name is taken as https
    expect(base(logout(as, cognito({ domain: 'login.example.com' })))).toBe(
      'https://login.example.com/logout',
    )
  })

  test('auth0: end_session_endpoint when listed, else /v2/logout with client_id and returnTo', () => {
    const plain = server({ issuer: 'https://tenant.auth0.com/' })
    const url = logout(plain, auth0())
    expect(base(url)).toBe('https://tenant.auth0.com/v2/logout')
    expect(params(url)).toEqual([
      ['client_id', CLIENT],
      ['returnTo', BACK],
    ])
    const listed = logout(
      server({
        issuer: 'https://tenant.auth0.com/',
        end_session_endpoint: 'https://tenant.auth0.com/oidc/logout',
      }),
      auth0(),
    )
    expect(base(listed)).toBe('https://tenant.auth0.com/oidc/logout')
    expect(params(listed)).toEqual([
      ['client_id', CLIENT],
      ['id_token_hint', ID_TOKEN],
      ['post_logout_redirect_uri', BACK],
    ])
  })

  test('entra: end_session_endpoint with client_id and post_logout_redirect_uri, no ID token in the URL', () => {
    const as = server({ issuer: TEMPLATE, end_session_endpoint: `${MS}/common/oauth2/v2.0/logout` })
    const url = logout(as, entra())
    expect(base(url)).toBe(`${MS}/common/oauth2/v2.0/logout`)
    expect(params(url)).toEqual([
      ['client_id', CLIENT],
      ['post_logout_redirect_uri', BACK],
    ])
  })

  test('okta: needs id_token_hint, so without an ID token the logout stays local', () => {
    const as = server({
      issuer: 'https://dev-1.okta.com/oauth2/default',
      end_session_endpoint: 'https://dev-1.okta.com/oauth2/default/v1/logout',
    })
    expect(params(logout(as, okta()))).toEqual([
      ['client_id', CLIENT],
      ['id_token_hint', ID_TOKEN],
      ['post_logout_redirect_uri', BACK],
    ])
    expect(logout(as, okta(), null)).toBeUndefined()
  })

  test('a logout URL that is not https (a user adapter, a bad endpoint) is refused', () => {
    const evil = defineProvider({ name: 'evil', logoutUrl: () => new URL('javascript:alert(1)') })
    expect(() => logout(server(), evil)).toThrow(ConfigurationError)
    expect(() => logout(server({ end_session_endpoint: 'http://as.example/logout' }))).toThrow(
      ConfigurationError,
    )
  })
})

describe('metadata', () => {
  test('cognito fills the revocation endpoint only when the metadata lists none', () => {
    const adapter = cognito({ domain: 'https://d.example' })
    expect(applyMetadata(server(), adapter, ctx).revocation_endpoint).toBe(
      'https://d.example/oauth2/revoke',
    )
    expect(
      applyMetadata(server({ revocation_endpoint: 'https://as.example/revoke' }), adapter, ctx)
        .revocation_endpoint,
    ).toBe('https://as.example/revoke')
  })

  test('entra, auth0, okta, keycloak change no metadata (Entra: no revocation, logout stays local)', () => {
    for (const adapter of [entra(), auth0(), okta(), keycloak()]) {
      const as = server()
      expect(applyMetadata(as, adapter, ctx)).toBe(as)
    }
    expect(applyMetadata(server(), entra(), ctx).revocation_endpoint).toBeUndefined()
  })

  test('a user adapter can fill and override endpoints (django-oauth-toolkit)', () => {
    const dot = defineProvider({
      name: 'dot',
      metadata: (as) => ({
        revocation_endpoint: `${as.issuer}/o/revoke_token/`,
        end_session_endpoint: undefined,
      }),
    })
    const as = applyMetadata(server({ end_session_endpoint: 'https://as.example/end' }), dot, ctx)
    expect(as.revocation_endpoint).toBe('https://as.example/o/revoke_token/')
    expect(as.end_session_endpoint).toBeUndefined()
  })
})

describe('default scope', () => {
  test('the default scopes the metadata lists; all four when it lists none', () => {
    expect(defaultScope({})).toBe(DEFAULT_SCOPE)
    expect(defaultScope({ scopes_supported: [] })).toBe(DEFAULT_SCOPE)
    expect(defaultScope({ scopes_supported: ['openid', 'email', 'phone', 'profile'] })).toBe(
      'openid profile email',
    )
    expect(defaultScope({ scopes_supported: ['read', 'write', 'openid', 'offline_access'] })).toBe(
      'openid offline_access',
    )
    expect(defaultScope({ scopes_supported: ['read', 'write'] })).toBe('')
  })

  test('the adapter default overrides the metadata', () => {
    const listsAll = { scopes_supported: ['openid', 'profile', 'email', 'offline_access'] }
    expect(defaultScope(listsAll, cognito({ domain: 'https://d.example' }))).toBe(
      'openid email profile',
    )
    expect(defaultScope({ scopes_supported: ['openid'] }, entra())).toBe(
      'openid profile email offline_access',
    )
    expect(defaultScope(listsAll, keycloak())).toBe('openid profile email')
    expect(defaultScope(listsAll, okta())).toBe(DEFAULT_SCOPE)
    expect(defaultScope({ scopes_supported: ['openid'] }, auth0())).toBe('openid')
  })
})

describe('request parameters', () => {
  test('auth0 puts audience on the authorization request', () => {
    expect(authorizationParams(auth0({ audience: 'https://api.example' }))).toEqual({
      audience: 'https://api.example',
    })
    expect(authorizationParams(auth0())).toEqual({})
    expect(tokenParams(auth0({ audience: 'https://api.example' }))).toEqual({})
    expect(authorizationParams(undefined)).toEqual({})
  })

  test('a user adapter sets its own parameters', () => {
    const a = defineProvider({
      name: 'x',
      authorizationParams: { ui_locales: 'de' },
      tokenParams: { foo: 'bar' },
    })
    expect(authorizationParams(a)).toEqual({ ui_locales: 'de' })
    expect(tokenParams(a)).toEqual({ foo: 'bar' })
  })
})

describe('error mapping', () => {
  const err = (error: string, status?: number, description?: string) =>
    new OAuthError(error, description, status)

  test('auth0: a refresh answered 403 invalid_grant is a 400 invalid_grant (the session ends)', () => {
    const mapped = mapOAuthError(auth0(), err('invalid_grant', 403), 'refresh')
    expect(mapped).toBeInstanceOf(OAuthError)
    expect([mapped.error, mapped.status]).toEqual(['invalid_grant', 400])
    const other = err('access_denied', 403)
    expect(mapOAuthError(auth0(), other, 'refresh')).toBe(other)
  })

  test('cognito: invalid_request / invalid_scope is invalid_scope', () => {
    const mapped = mapOAuthError(
      cognito({ domain: 'https://d.example' }),
      err('invalid_request', undefined, 'invalid_scope'),
      'authorization',
    )
    expect(mapped.error).toBe('invalid_scope')
    const plain = err('invalid_request', undefined, 'missing code')
    expect(mapOAuthError(cognito({ domain: 'https://d.example' }), plain, 'authorization')).toBe(
      plain,
    )
  })

  test("entra: its device flow's authorization_declined and bad_verification_code are RFC 8628's", () => {
    const declined = mapOAuthError(entra(), err('authorization_declined', 400, 'no'), 'device')
    expect([declined.error, declined.error_description, declined.status]).toEqual([
      'access_denied',
      'no',
      400,
    ])
    expect(mapOAuthError(entra(), err('bad_verification_code', 400), 'device').error).toBe(
      'expired_token',
    )
    // only where they mean that: a device login's polls
    const elsewhere = err('authorization_declined', 400)
    expect(mapOAuthError(entra(), elsewhere, 'token')).toBe(elsewhere)
    const pending = err('authorization_pending', 400)
    expect(mapOAuthError(entra(), pending, 'device')).toBe(pending)
  })

  test('other presets and no adapter leave errors alone', () => {
    const e = err('invalid_grant', 403)
    for (const adapter of [undefined, entra(), okta(), keycloak()]) {
      expect(mapOAuthError(adapter, e, 'refresh')).toBe(e)
    }
  })
})

describe('issuer normalization', () => {
  test('auth0 works with or without the trailing slash', () => {
    expect(normalizeIssuer('https://tenant.auth0.com', auth0())).toBe('https://tenant.auth0.com/')
    expect(normalizeIssuer('https://tenant.auth0.com/', auth0())).toBe('https://tenant.auth0.com/')
  })

  test('keycloak, okta, cognito, entra drop a trailing slash; no adapter changes nothing', () => {
    expect(normalizeIssuer('https://kc.example/realms/demo/', keycloak())).toBe(
      'https://kc.example/realms/demo',
    )
    expect(normalizeIssuer('https://dev.okta.com/oauth2/default/', okta())).toBe(
      'https://dev.okta.com/oauth2/default',
    )
    expect(normalizeIssuer(`${MS}/common/v2.0/`, entra())).toBe(`${MS}/common/v2.0`)
    expect(normalizeIssuer('https://as.example/x/', undefined)).toBe('https://as.example/x/')
  })

  test('the multi-tenant issuer expects the template; a tenant issuer expects itself', () => {
    expect(expectedIssuer(`${MS}/common/v2.0`, entra())).toBe(TEMPLATE)
    expect(expectedIssuer(`${MS}/organizations/v2.0`, entra())).toBe(TEMPLATE)
    expect(expectedIssuer(`${MS}/${TID}/v2.0`, entra())).toBe(`${MS}/${TID}/v2.0`)
    expect(expectedIssuer(`${MS}/common/v2.0`, undefined)).toBe(`${MS}/common/v2.0`)
    expect(expectedIssuer(`${MS}/common/v2.0`, okta())).toBe(`${MS}/common/v2.0`)
  })
})

describe('resolveIssuer: the {tenantid} template filled with the token’s own tid', () => {
  const tok = (claims: Record<string, unknown>) =>
    idToken({ iss: 'x', sub: 's', aud: CLIENT, ...claims })
  const tmpl = { issuer: TEMPLATE }

  test('a GUID tid fills the template; a plain issuer is returned as it is', () => {
    expect(resolveIssuer(tmpl, tok({ tid: TID }), entra())).toBe(`${MS}/${TID}/v2.0`)
    expect(resolveIssuer({ issuer: 'https://as.example' }, tok({ tid: '../' }), entra())).toBe(
      'https://as.example',
    )
    expect(resolveIssuer({ issuer: 'https://as.example' }, tok({}), undefined)).toBe(
      'https://as.example',
    )
  })

  test.each([
    ['../', '../'],
    ['a query', 'x/v2.0?'],
    ['another host', 'evil.example'],
    ['a URL', 'https://evil.example/'],
    ['a path', `${TID}/../../evil`],
    ['a GUID with a suffix', `${TID}x`],
    ['an encoded dot-dot', '%2e%2e'],
    ['upper case', TID.toUpperCase()],
    ['empty', ''],
    ['a number', 42],
    ['an array', [TID]],
  ])('refuses a tid that is %s', (_, tid) => {
    expect(() => resolveIssuer(tmpl, tok({ tid }), entra())).toThrow(OAuthError)
  })

  test('refuses a missing tid, an unreadable token, a template without its adapter', () => {
    expect(() => resolveIssuer(tmpl, tok({}), entra())).toThrow(/tid/)
    expect(() => resolveIssuer(tmpl, 'not-a-jwt', entra())).toThrow(OAuthError)
    expect(() => resolveIssuer(tmpl, tok({ tid: TID }), undefined)).toThrow(/template/)
    expect(() => resolveIssuer(tmpl, tok({ tid: TID }), okta())).toThrow(/template/)
  })

  test('refuses a malformed template (placeholder in the host, twice, not a whole segment)', () => {
    for (const issuer of [
      'https://{tenantid}.example/v2.0',
      `${MS}/{tenantid}/{tenantid}/v2.0`,
      `${MS}/t{tenantid}/v2.0`,
      `${MS}/{tenantid}x/v2.0`,
      `${MS}/{tenantid}/{other}`,
    ]) {
      expect(() => resolveIssuer({ issuer }, tok({ tid: TID }), entra()), issuer).toThrow(
        OAuthError,
      )
    }
  })

  test('entra({ tenants }) accepts only the listed tenants', () => {
    const only = entra({ tenants: [TID] })
    expect(resolveIssuer(tmpl, tok({ tid: TID }), only)).toBe(`${MS}/${TID}/v2.0`)
    expect(() => resolveIssuer(tmpl, tok({ tid: OTHER_TID }), only)).toThrow(/does not accept/)
    expect(() => entra({ tenants: ['contoso.onmicrosoft.com'] })).toThrow(ConfigurationError)
  })
})

describe('callbackIssuer: the authorization response’s iss names its tenant, then compared exactly', () => {
  const as = server({ issuer: TEMPLATE, authorization_response_iss_parameter_supported: true })
  const client = { client_id: CLIENT }
  const callback = (iss: string) => new URLSearchParams({ code: 'c', state: 's', iss })
  /** What oauth4webapi says of a callback with `iss`, checked against `callbackIssuer`'s value. */
  const validate = (iss: string, adapter: ProviderAdapter | undefined = entra(), at = as) =>
    oauth.validateAuthResponse(
      { ...at, issuer: callbackIssuer(at, iss, adapter) },
      client,
      callback(iss),
      's',
    )

  test('the template filled with a tenant id passes; the tenant must be allowed', () => {
    expect(callbackIssuer(as, `${MS}/${TID}/v2.0`, entra())).toBe(`${MS}/${TID}/v2.0`)
    expect(validate(`${MS}/${TID}/v2.0`).get('code')).toBe('c')
    expect(() => validate(`${MS}/${TID}/v2.0`, entra({ tenants: [OTHER_TID] }))).toThrow(
      /does not accept/,
    )
  })

  test.each([
    ['another host', `https://evil.example/${TID}/v2.0`],
    ['a longer path', `${MS}/${TID}/v2.0/x`],
    ['a shorter path', `${MS}/${TID}`],
    ['a name, not a tenant id', `${MS}/contoso.onmicrosoft.com/v2.0`],
    ['two segments', `${MS}/${TID}/${TID}/v2.0`],
    ['the raw template', TEMPLATE],
    ['upper case', `${MS}/${TID.toUpperCase()}/v2.0`],
    ['empty', ''],
  ])('refuses %s', (_, iss) => {
    expect(() => validate(iss)).toThrow()
  })

  test('a plain issuer, or no adapter, is compared as it is', () => {
    const plain = server({ authorization_response_iss_parameter_supported: true })
    expect(callbackIssuer(plain, `https://as.example/${TID}`, entra())).toBe('https://as.example')
    expect(() => validate(`https://as.example/${TID}`, entra(), plain)).toThrow(/iss/)
    expect(validate('https://as.example', keycloak(), plain).get('code')).toBe('c')
    expect(() => callbackIssuer(as, `${MS}/${TID}/v2.0`, undefined)).toThrow(/template/)
  })
})

describe('with oauth4webapi: iss is still compared exactly', () => {
  const as = server({ issuer: TEMPLATE, token_endpoint: `${MS}/common/oauth2/v2.0/token` })
  const client = { client_id: CLIENT }
  const now = () => Math.floor(Date.now() / 1000)
  const response = (claims: Record<string, unknown>) =>
    json({
      access_token: 'at',
      token_type: 'Bearer',
      expires_in: 3600,
      id_token: idToken({
        sub: 'alice',
        aud: CLIENT,
        iat: now(),
        exp: now() + 600,
        nonce: 'n',
        ...claims,
      }),
    })
  const process = async (
    claims: Record<string, unknown>,
    adapter: ProviderAdapter | null = entra(),
  ) => {
    const res = response(claims)
    const forTokens = await serverForTokenResponse(as, res, adapter ?? undefined)
    return oauth.processAuthorizationCodeResponse(forTokens, client, res, { expectedNonce: 'n' })
  }

  test('an ID token whose iss is the template with its own tid passes', async () => {
    const result = await process({ iss: `${MS}/${TID}/v2.0`, tid: TID })
    expect(oauth.getValidatedIdTokenClaims(result)?.iss).toBe(`${MS}/${TID}/v2.0`)
  })

  test('an iss from another tenant than its tid, the raw template, or another host fails', async () => {
    await expect(process({ iss: `${MS}/${OTHER_TID}/v2.0`, tid: TID })).rejects.toThrow(/iss/)
    await expect(process({ iss: TEMPLATE, tid: TID })).rejects.toThrow(/iss/)
    await expect(process({ iss: `https://evil.example/${TID}/v2.0`, tid: TID })).rejects.toThrow(
      /iss/,
    )
    await expect(process({ iss: `${MS}/${TID}/v2.0` })).rejects.toThrow(OAuthError)
  })

  test('the ID token must be of the tenant the authorization response’s iss named', async () => {
    const claims = { iss: `${MS}/${TID}/v2.0`, tid: TID }
    const ok = await serverForTokenResponse(as, response(claims), entra(), `${MS}/${TID}/v2.0`)
    expect(ok.issuer).toBe(`${MS}/${TID}/v2.0`)
    await expect(
      serverForTokenResponse(as, response(claims), entra(), `${MS}/${OTHER_TID}/v2.0`),
    ).rejects.toThrow(OAuthError)
    // no iss on the authorization response (Entra's older answers): the ID token alone decides
    expect((await serverForTokenResponse(as, response(claims), entra(), null)).issuer).toBe(
      `${MS}/${TID}/v2.0`,
    )
  })

  test('without the adapter a template issuer is refused before anything is processed', async () => {
    await expect(process({ iss: `${MS}/${TID}/v2.0`, tid: TID }, null)).rejects.toThrow(/template/)
  })

  test('a plain server is passed through untouched, and the response stays readable', async () => {
    const plain = server()
    const res = json({ access_token: 'at', token_type: 'Bearer' })
    expect(await serverForTokenResponse(plain, res, entra())).toBe(plain)
    expect(await serverForTokenResponse(plain, res, undefined)).toBe(plain)
    expect((await res.json()).access_token).toBe('at')
  })
})

describe('an adapter never weakens a check', () => {
  const weakening = defineProvider({
    name: 'weakening',
    metadata: () => ({
      issuer: 'https://evil.example',
      authorization_response_iss_parameter_supported: false,
      require_pushed_authorization_requests: false,
      code_challenge_methods_supported: ['plain', 'S256'],
      id_token_signing_alg_values_supported: ['none', 'HS256', 'RS256'],
      dpop_signing_alg_values_supported: ['none', 'ES256'],
    }),
  })
  const strict = server({
    authorization_response_iss_parameter_supported: true,
    require_pushed_authorization_requests: true,
    code_challenge_methods_supported: ['S256'],
    id_token_signing_alg_values_supported: ['RS256', 'ES256'],
    dpop_signing_alg_values_supported: ['ES256', 'PS256'],
  })

  test('metadata: issuer, iss parameter, PAR, PKCE methods and algorithms are put back', () => {
    const as = applyMetadata(strict, weakening, ctx)
    expect(as.issuer).toBe('https://as.example')
    expect(as.authorization_response_iss_parameter_supported).toBe(true)
    expect(as.require_pushed_authorization_requests).toBe(true)
    expect(as.code_challenge_methods_supported).toEqual(['S256'])
    expect(as.id_token_signing_alg_values_supported).toEqual(['RS256'])
    expect(as.dpop_signing_alg_values_supported).toEqual(['ES256'])
  })

  test('metadata: an adapter may tighten (turn the iss parameter or PAR on)', () => {
    const tighten = defineProvider({
      name: 't',
      metadata: () => ({
        authorization_response_iss_parameter_supported: true,
        require_pushed_authorization_requests: true,
      }),
    })
    const as = applyMetadata(server(), tighten, ctx)
    expect(as.authorization_response_iss_parameter_supported).toBe(true)
    expect(as.require_pushed_authorization_requests).toBe(true)
  })

  test('metadata: endpoints an adapter sets must be https (http only on loopback)', () => {
    for (const value of ['http://as.example/token', 'javascript:alert(1)', 'not a url']) {
      const a = defineProvider({ name: 'a', metadata: () => ({ token_endpoint: value }) })
      expect(() => applyMetadata(server(), a, ctx), value).toThrow(ConfigurationError)
    }
    const local = defineProvider({
      name: 'l',
      metadata: () => ({ revocation_endpoint: 'http://localhost:9000/r' }),
    })
    expect(applyMetadata(server(), local, ctx).revocation_endpoint).toBe('http://localhost:9000/r')
  })

  test.each([
    'state',
    'nonce',
    'code_challenge',
    'code_challenge_method',
    'redirect_uri',
    'client_id',
    'response_type',
    'response_mode',
    'scope',
    'dpop_jkt',
    'request_uri',
  ])('no authorization parameter %s', (name) => {
    expect(() => defineProvider({ name: 'x', authorizationParams: { [name]: 'v' } })).toThrow(
      ConfigurationError,
    )
    // nor by building the object without defineProvider
    expect(() => authorizationParams({ name: 'x', authorizationParams: { [name]: 'v' } })).toThrow(
      ConfigurationError,
    )
  })

  test.each([
    'grant_type',
    'code',
    'code_verifier',
    'redirect_uri',
    'refresh_token',
    'client_id',
    'client_secret',
  ])('no token parameter %s', (name) => {
    expect(() => tokenParams({ name: 'x', tokenParams: { [name]: 'v' } })).toThrow(
      ConfigurationError,
    )
  })

  test('the issuer keeps its origin', () => {
    const moving = defineProvider({ name: 'm', normalizeIssuer: () => 'https://evil.example/' })
    expect(() => normalizeIssuer('https://as.example', moving)).toThrow(ConfigurationError)
  })

  test('the interface offers no switch for issuer, state, nonce, PKCE or binding checks', () => {
    const allowed = [
      'name',
      'normalizeIssuer',
      'issuerTemplate',
      'metadata',
      'scope',
      'authorizationParams',
      'tokenParams',
      'logoutUrl',
      'mapError',
    ]
    for (const adapter of [
      cognito({ domain: 'https://d.example' }),
      auth0({ audience: 'a' }),
      entra(),
      keycloak(),
      okta(),
    ]) {
      expect(
        Object.keys(adapter).every((k) => allowed.includes(k)),
        adapter.name,
      ).toBe(true)
    }
    // @ts-expect-error -- there is no such option
    const a: ProviderAdapter = { name: 'x', skipIssuerCheck: true }
    // @ts-expect-error -- nor this one
    const b: ProviderAdapter = { name: 'x', pkce: false }
    const c: ProviderAdapter = {
      name: 'x',
      issuerTemplate: {
        placeholder: '{t}',
        claim: 'tid',
        anyTenant: [],
        // @ts-expect-error -- the template cannot choose its own value check
        pattern: /.*/,
      },
    }
    expect([a, b, c]).toHaveLength(3)
  })

  test('presets validate their options', () => {
    expect(() => cognito({ domain: '' })).toThrow(ConfigurationError)
    expect(() => cognito({ domain: 'https://d.example/oauth2' })).toThrow(ConfigurationError)
    expect(() => cognito({ domain: 'http://d.example' })).toThrow(ConfigurationError)
    expect(() => cognito(undefined as unknown as { domain: string })).toThrow(ConfigurationError)
    expect(() => auth0({ audience: '' })).toThrow(ConfigurationError)
    expect(() => defineProvider({ name: '' })).toThrow(ConfigurationError)
  })

  test.each<[string, Record<string, unknown>]>([
    ['metadata', { metadata: { revocation_endpoint: 'https://as.example/revoke' } }],
    ['logoutUrl', { logoutUrl: 'https://as.example/logout' }],
    ['mapError', { mapError: true }],
    ['normalizeIssuer', { normalizeIssuer: 'https://as.example/' }],
    ['authorizationParams', { authorizationParams: 'audience=x' }],
    ['tokenParams', { tokenParams: null }],
    ['issuerTemplate', { issuerTemplate: '{tenantid}' }],
    ['scope', { scope: ['openid'] }],
  ])('a member of the wrong type (%s) is a ConfigurationError naming it', (key, member) => {
    const make = () => defineProvider({ name: 'mine', ...member } as unknown as ProviderAdapter)
    expect(make).toThrow(ConfigurationError)
    expect(make).toThrow(key)
  })
})

test('each preset is a separate export with no shared state (tree-shakable)', () => {
  expect(cognito({ domain: 'https://d.example' })).not.toBe(
    cognito({ domain: 'https://d.example' }),
  )
  expect(entra().issuerTemplate).not.toBe(entra().issuerTemplate)
})
