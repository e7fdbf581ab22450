/**
 * Provider stand-ins: the same oidc-provider, shaped like Auth0, Okta, Keycloak, Amazon Cognito or
 * Microsoft Entra ID. Each mode reproduces the quirks that break generic clients (issuer shape,
 * metadata, logout endpoint and its parameters, refused scopes, refresh without rotation, 403 on a
 * dead refresh token, `audience`), so the SDK's presets can be tested against real servers.
 *
 * A mode is plain data plus a few koa middlewares mounted on the provider with `provider.use`
 * (they run before oidc-provider's own routes, and see `ctx.path` relative to the mount path).
 */
import { randomUUID } from 'node:crypto'

import { renderError } from './auth-pages.mjs'

/** @typedef {'auth0' | 'cognito' | 'entra' | 'keycloak' | 'okta'} ProviderName */
export const PROVIDERS = /** @type {const} */ (['auth0', 'cognito', 'entra', 'keycloak', 'okta'])

/** Cognito user pool id of the stand-in (region_id). */
export const COGNITO_POOL_ID = 'us-east-1_LocalDemo'
/** Keycloak realm of the stand-in. */
export const KEYCLOAK_REALM = 'demo'

/**
 * @typedef {import('./auth-middleware.mjs').KoaContext & { req: import('node:http').IncomingMessage & { originalUrl?: string },
 *   query: Record<string, string | string[] | undefined>, redirect(url: string): void,
 *   oidc?: any }} Ctx
 * @typedef {(ctx: Ctx, next: () => Promise<void>) => Promise<void>} Middleware
 *
 * @typedef {object} LogoutHit
 * @property {string} path the full path that was requested (mount path included)
 * @property {Record<string, string>} params its query parameters; `id_token_hint` and
 *   `logout_hint` values are replaced by `"<redacted>"` (only their presence matters)
 *
 * @typedef {object} ModeContext
 * @property {string} origin `http://localhost:<port>`
 * @property {string} clientId
 * @property {string[]} redirectUris registered redirect URIs of the demo client
 * @property {string[]} logoutUris registered post-logout (sign-out) URIs of the demo client
 *
 * @typedef {object} ProviderMode
 * @property {ProviderName | 'default'} name
 * @property {string} issuer what the app configures (Entra: the multi-tenant `/common/v2.0`)
 * @property {string} tokenIssuer oidc-provider's issuer: the `iss` of every token it signs
 * @property {Record<string, string>} routes oidc-provider `routes` (relative to the mount path)
 * @property {(req: { url: string }) => { url: string, mountPath: string } | undefined} route maps
 *   an incoming request path to oidc-provider's path and mount path; undefined → 404
 * @property {string[]} discoveryPaths discovery paths as oidc-provider sees them
 * @property {(doc: Record<string, any>, ctx: Ctx) => Record<string, any>} [metadata] reshapes the
 *   discovery document
 * @property {(config: Record<string, any>) => void} [configure] adjusts oidc-provider's config
 * @property {(claims: Record<string, unknown>) => Record<string, unknown>} [claims] extra user claims
 * @property {string} logoutPath the path (relative to the mount) whose hits are counted
 * @property {'never' | 'always' | 'with-id-token-hint'} [autoConfirmLogout] skip oidc-provider's
 *   logout confirmation page (Okta; Keycloak with an id_token_hint)
 * @property {Record<string, string | undefined>} info facts a test or the demo needs (domain,
 *   tenant id, logout endpoint)
 * @property {(provider: any, hooks: ModeHooks) => Middleware[]} [middlewares]
 *
 * @typedef {object} ModeHooks
 * @property {ModeContext} mode
 * @property {(hit: LogoutHit) => void} countLogout
 */

const DEFAULT_ROUTES = {
  authorization: '/auth',
  token: '/token',
  revocation: '/token/revocation',
  userinfo: '/me',
  end_session: '/session/end',
  jwks: '/jwks',
  pushed_authorization_request: '/request',
}

/** @param {string} url */
const pathOf = (url) => new URL(url, 'http://x').pathname

/** A request under `prefix` is served by oidc-provider mounted there. @param {string} prefix */
const mountedAt = (prefix) => (/** @type {{ url: string }} */ req) => {
  if (req.url !== prefix && !req.url.startsWith(`${prefix}/`) && !req.url.startsWith(`${prefix}?`))
    return undefined
  return { url: req.url.slice(prefix.length) || '/', mountPath: prefix }
}

/** @param {Record<string, any>} doc @param {string[]} keep */
const only = (doc, keep) =>
  Object.fromEntries(Object.entries(doc).filter(([k]) => keep.includes(k)))

/**
 * The query of a logout request, with the ID token and logout hint replaced by a marker.
 *
 * @param {Ctx} ctx
 * @returns {Record<string, string>}
 */
function logoutParams(ctx) {
  const url = new URL(ctx.req.originalUrl ?? ctx.req.url ?? '/', 'http://x')
  /** @type {Record<string, string>} */
  const params = Object.fromEntries(url.searchParams)
  const body = ctx.oidc?.body ?? {}
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') params[k] ??= v
  for (const secret of ['id_token_hint', 'logout_hint']) {
    if (params[secret] !== undefined) params[secret] = '<redacted>'
  }
  return params
}

/** @param {Ctx} ctx */
const fullPath = (ctx) => pathOf(ctx.req.originalUrl ?? ctx.req.url ?? '/')

/**
 * Counts requests to the mode's logout endpoint (not its confirmation sub-paths).
 *
 * @param {string} logoutPath
 * @param {ModeHooks['countLogout']} countLogout
 * @returns {Middleware}
 */
function countLogoutHits(logoutPath, countLogout) {
  return async (ctx, next) => {
    if (ctx.path === logoutPath && (ctx.method === 'GET' || ctx.method === 'POST')) {
      countLogout({ path: fullPath(ctx), params: logoutParams(ctx) })
    }
    await next()
  }
}

/**
 * An error page, as the providers show when a logout request lacks what they need.
 *
 * @param {Ctx} ctx
 * @param {number} status
 * @param {Record<string, string>} out
 */
async function errorPage(ctx, status, out) {
  await renderError(/** @type {any} */ (ctx), out)
  ctx.status = status
}

/**
 * Ends the user's session at the stand-in (the `_session` cookie's server-side record), as a
 * provider-specific logout endpoint does, without oidc-provider's confirmation page.
 *
 * @param {any} provider
 * @param {Ctx} ctx
 */
async function destroySession(provider, ctx) {
  const session = await provider.Session.get(ctx)
  if (session?.accountId) await session.destroy()
}

/**
 * Rewrites the `Location` of redirects to one of the client's redirect URIs (authorization
 * responses).
 *
 * @param {string[]} redirectUris
 * @param {(params: URLSearchParams, ctx: Ctx) => void} edit
 * @returns {Middleware}
 */
function editAuthorizationResponses(redirectUris, edit) {
  const targets = new Set(redirectUris)
  return async (ctx, next) => {
    await next()
    const location = ctx.response.headers.location
    if (ctx.status < 300 || ctx.status >= 400 || typeof location !== 'string') return
    let url
    try {
      url = new URL(location)
    } catch {
      return
    }
    if (!targets.has(`${url.origin}${url.pathname}`)) return
    edit(url.searchParams, ctx)
    ctx.set('Location', url.href)
  }
}

/**
 * Reshapes the discovery document oidc-provider produced.
 *
 * @param {string[]} paths
 * @param {(doc: Record<string, any>, ctx: Ctx) => Record<string, any>} reshape
 * @returns {Middleware}
 */
function reshapeDiscovery(paths, reshape) {
  const set = new Set(paths)
  return async (ctx, next) => {
    await next()
    if (set.has(ctx.path) && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
      ctx.body = reshape(/** @type {Record<string, any>} */ (ctx.body), ctx)
    }
  }
}

/**
 * The oidc-provider configuration changes and middlewares of one provider stand-in.
 *
 * @param {ProviderName | undefined} name undefined: the standards-following default server
 * @param {ModeContext} ctx
 * @returns {ProviderMode}
 */
export function providerMode(name, ctx) {
  const { origin } = ctx
  switch (name) {
    case undefined:
      return defaultMode(ctx)
    case 'auth0':
      return auth0Mode(ctx)
    case 'cognito':
      return cognitoMode(ctx)
    case 'entra':
      return entraMode(ctx)
    case 'keycloak':
      return keycloakMode(ctx)
    case 'okta':
      return oktaMode(ctx)
    default:
      throw new TypeError(
        `Unknown provider "${name}" for the stand-in at ${origin}: use one of ${PROVIDERS.join(', ')}.`,
      )
  }
}

/** @param {ModeContext} ctx @returns {ProviderMode} */
function defaultMode({ origin }) {
  return {
    name: 'default',
    issuer: origin,
    tokenIssuer: origin,
    routes: DEFAULT_ROUTES,
    route: (req) => ({ url: req.url, mountPath: '' }),
    discoveryPaths: [
      '/.well-known/openid-configuration',
      '/.well-known/oauth-authorization-server',
    ],
    logoutPath: DEFAULT_ROUTES.end_session,
    info: { logoutEndpoint: `${origin}${DEFAULT_ROUTES.end_session}` },
  }
}

/**
 * Auth0: issuer `https://TENANT/` (trailing slash), Auth0's paths, no `end_session_endpoint` in the
 * metadata (tenants without "RP-Initiated Logout End Session Endpoint Discovery"), logout at
 * `/v2/logout?client_id&returnTo`, `audience` choosing the API, 403 for a dead refresh token.
 *
 * @param {ModeContext} ctx
 * @returns {ProviderMode}
 */
function auth0Mode({ origin, clientId, logoutUris }) {
  const routes = {
    authorization: '/authorize',
    token: '/oauth/token',
    revocation: '/oauth/revoke',
    userinfo: '/userinfo',
    // live but not listed, like a tenant with end-session discovery turned off
    end_session: '/oidc/logout',
    jwks: '/.well-known/jwks.json',
    pushed_authorization_request: '/oauth/par',
  }
  return {
    name: 'auth0',
    issuer: `${origin}/`,
    tokenIssuer: `${origin}/`,
    routes,
    route: (req) => {
      // `${issuer}.well-known/…` vs `${issuer}/.well-known/…`: clients that append to the issuer
      // with a slash ask for `//…`; Auth0's front end answers both.
      let url = req.url.replace(/^\/{2,}/, '/')
      if (pathOf(url) === routes.authorization) url = audienceToResource(url)
      return { url, mountPath: '' }
    },
    discoveryPaths: [
      '/.well-known/openid-configuration',
      '/.well-known/oauth-authorization-server',
    ],
    metadata: (doc) => {
      const { end_session_endpoint: _, ...rest } = doc
      return rest
    },
    logoutPath: '/v2/logout',
    info: { logoutEndpoint: `${origin}/v2/logout` },
    middlewares: (provider) => [
      // GET /v2/logout?client_id=…&returnTo=…
      async (ctx, next) => {
        if (ctx.path !== '/v2/logout' || ctx.method !== 'GET') return next()
        const q = new URL(ctx.req.url ?? '/', origin).searchParams
        const client = q.get('client_id')
        const returnTo = q.get('returnTo')
        if (client !== null && client !== clientId) {
          return errorPage(ctx, 400, {
            error: 'invalid_request',
            error_description: 'Unknown client',
          })
        }
        // with client_id: the application's Allowed Logout URLs; without: the tenant's (the same
        // list here). No returnTo: the first allowed URL, if client_id says whose.
        const target = returnTo ?? (client ? logoutUris[0] : undefined)
        if (!target || !logoutUris.includes(target)) {
          return errorPage(ctx, 400, {
            error: 'invalid_request',
            error_description: `The "returnTo" querystring parameter "${returnTo ?? ''}" is not defined as a valid URL in "Allowed Logout URLs".`,
          })
        }
        await destroySession(provider, ctx)
        ctx.status = 302
        ctx.redirect(target)
      },
      // a dead refresh token: 403 invalid_grant (Auth0's answer), not 400
      async (ctx, next) => {
        await next()
        const body = /** @type {{ error?: string }} */ (ctx.body)
        if (
          ctx.path === routes.token &&
          ctx.status === 400 &&
          body?.error === 'invalid_grant' &&
          ctx.oidc?.params?.grant_type === 'refresh_token'
        ) {
          ctx.status = 403
        }
      },
    ],
  }
}

/**
 * Auth0's `audience` names the API; the stand-in maps it to the RFC 8707 `resource` that
 * oidc-provider understands (token requests without `resource` get the granted one).
 *
 * @param {string} url
 */
function audienceToResource(url) {
  const u = new URL(url, 'http://x')
  const audience = u.searchParams.get('audience')
  if (audience && !u.searchParams.has('resource')) u.searchParams.set('resource', audience)
  return `${u.pathname}${u.search}`
}

/**
 * Amazon Cognito: issuer `https://cognito-idp.REGION.amazonaws.com/POOL` (here `/POOL` on the same
 * origin), endpoints on the hosted-UI domain (here the origin itself): `/oauth2/authorize`,
 * `/oauth2/token`, `/oauth2/userInfo`, `/oauth2/revoke` (not in the metadata), and `/logout`,
 * listed as `end_session_endpoint` but not RP-initiated logout. `offline_access` is refused, yet
 * refresh tokens are issued and never rotated.
 *
 * @param {ModeContext} ctx
 * @returns {ProviderMode}
 */
function cognitoMode({ origin, clientId, redirectUris, logoutUris }) {
  const issuer = `${origin}/${COGNITO_POOL_ID}`
  const routes = {
    authorization: '/oauth2/authorize',
    token: '/oauth2/token',
    revocation: '/oauth2/revoke',
    userinfo: '/oauth2/userInfo',
    jwks: `/${COGNITO_POOL_ID}/.well-known/jwks.json`,
    // not reachable: /logout below replaces it
    end_session: '/__oidc_end_session',
    pushed_authorization_request: '/__oidc_par',
  }
  const discovery = `/${COGNITO_POOL_ID}/.well-known/openid-configuration`
  return {
    name: 'cognito',
    issuer,
    tokenIssuer: issuer,
    routes,
    route: (req) => {
      const path = pathOf(req.url)
      if (path === discovery) return { url: '/.well-known/openid-configuration', mountPath: '' }
      if (path.startsWith('/.well-known/') || path.startsWith('/__oidc_')) return undefined
      return { url: req.url, mountPath: '' }
    },
    discoveryPaths: ['/.well-known/openid-configuration'],
    metadata: (doc) => ({
      ...only(doc, [
        'authorization_endpoint',
        'id_token_signing_alg_values_supported',
        'issuer',
        'jwks_uri',
        'response_types_supported',
        'subject_types_supported',
        'token_endpoint',
        'token_endpoint_auth_methods_supported',
        'userinfo_endpoint',
      ]),
      end_session_endpoint: `${origin}/logout`,
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
    }),
    configure: (config) => {
      config.scopes = ['openid', 'email', 'phone', 'profile']
      config.claims = {
        ...config.claims,
        openid: ['sub', 'cognito:username'],
        phone: ['phone_number'],
      }
      config.rotateRefreshToken = () => false
      config.features.dPoP = { enabled: false }
      config.features.rpInitiatedLogout = { enabled: false }
      config.features.pushedAuthorizationRequests = { enabled: false }
    },
    claims: (claims) => ({ 'cognito:username': claims.sub }),
    logoutPath: '/logout',
    info: { domain: origin, userPoolId: COGNITO_POOL_ID, logoutEndpoint: `${origin}/logout` },
    middlewares: (provider) => [
      // GET /logout?client_id=…&logout_uri=… — post_logout_redirect_uri and id_token_hint mean
      // nothing here
      async (ctx, next) => {
        if (ctx.path !== '/logout' || ctx.method !== 'GET') return next()
        const q = new URL(ctx.req.url ?? '/', origin).searchParams
        if (q.get('client_id') !== clientId) {
          return errorPage(ctx, 400, {
            error: 'invalid_request',
            error_description: q.has('client_id')
              ? 'Invalid client_id'
              : "Required String parameter 'client_id' is not present",
          })
        }
        const logoutUri = q.get('logout_uri')
        if (!logoutUri) {
          return errorPage(ctx, 400, {
            error: 'invalid_request',
            error_description: 'Required parameter logout_uri (or redirect_uri) is not present',
          })
        }
        if (!logoutUris.includes(logoutUri)) {
          return errorPage(ctx, 400, { error: 'redirect_mismatch' })
        }
        await destroySession(provider, ctx)
        ctx.status = 302
        ctx.redirect(logoutUri)
      },
      // offline_access is not a Cognito scope: the login is refused with Cognito's shape of
      // invalid_scope (error=invalid_request, error_description=invalid_scope)
      async (ctx, next) => {
        if (ctx.path !== routes.authorization || ctx.method !== 'GET') return next()
        const q = new URL(ctx.req.url ?? '/', origin).searchParams
        const redirectUri = q.get('redirect_uri')
        const scopes = (q.get('scope') ?? '').split(' ')
        if (
          q.get('client_id') === clientId &&
          redirectUri &&
          redirectUris.includes(redirectUri) &&
          scopes.includes('offline_access')
        ) {
          const back = new URL(redirectUri)
          back.searchParams.set('error_description', 'invalid_scope')
          if (q.has('state')) back.searchParams.set('state', String(q.get('state')))
          back.searchParams.set('error', 'invalid_request')
          ctx.status = 302
          ctx.redirect(back.href)
          return
        }
        await next()
      },
      // no refresh token rotation: the refresh answer carries no refresh_token
      async (ctx, next) => {
        await next()
        const body = /** @type {Record<string, unknown> | undefined} */ (ctx.body)
        if (
          ctx.path === routes.token &&
          ctx.status === 200 &&
          ctx.oidc?.params?.grant_type === 'refresh_token' &&
          body &&
          typeof body === 'object'
        ) {
          delete body.refresh_token
        }
      },
      // Cognito sends no RFC 9207 `iss` on the authorization response
      editAuthorizationResponses(redirectUris, (params) => params.delete('iss')),
    ],
  }
}

/**
 * Microsoft Entra ID: per-tenant issuer `https://login.microsoftonline.com/TID/v2.0` (oidc-provider's
 * own issuer, so ID tokens are really signed with `iss` = that and carry `tid`), and the
 * multi-tenant metadata at `/common/v2.0` and `/organizations/v2.0` naming the template
 * `…/{tenantid}/v2.0` as issuer. Endpoints `/TENANT/oauth2/v2.0/{authorize,token,logout}`,
 * keys at `/TENANT/discovery/v2.0/keys`; no revocation endpoint; no `iss` on the authorization
 * response.
 *
 * @param {ModeContext} ctx
 * @returns {ProviderMode}
 */
function entraMode({ origin, redirectUris }) {
  const tenantId = randomUUID()
  const tokenIssuer = `${origin}/${tenantId}/v2.0`
  const template = `${origin}/{tenantid}/v2.0`
  const routes = {
    authorization: '/oauth2/v2.0/authorize',
    token: '/oauth2/v2.0/token',
    end_session: '/oauth2/v2.0/logout',
    jwks: '/discovery/v2.0/keys',
    userinfo: '/oidc/userinfo',
    // Entra has no revocation endpoint; oidc-provider's feature is turned off below
    revocation: '/__oidc_revocation',
    pushed_authorization_request: '/__oidc_par',
  }
  const tenants = ['common', 'organizations', tenantId]
  return {
    name: 'entra',
    issuer: `${origin}/common/v2.0`,
    tokenIssuer,
    routes,
    route: (req) => {
      const [, tenant] = pathOf(req.url).split('/')
      if (!tenants.includes(tenant)) return undefined
      const mount = mountedAt(`/${tenant}`)(req)
      if (!mount) return undefined
      // discovery lives at /TENANT/v2.0/.well-known/openid-configuration
      if (pathOf(mount.url) === '/v2.0/.well-known/openid-configuration') {
        return { url: '/.well-known/openid-configuration', mountPath: mount.mountPath }
      }
      if (pathOf(mount.url).startsWith('/.well-known/') || pathOf(mount.url).startsWith('/__oidc_'))
        return undefined
      return mount
    },
    discoveryPaths: ['/.well-known/openid-configuration'],
    metadata: (doc, ctx) => {
      const [, tenant] = fullPath(ctx).split('/')
      return {
        ...only(doc, [
          'authorization_endpoint',
          'token_endpoint',
          'token_endpoint_auth_methods_supported',
          'jwks_uri',
          'response_modes_supported',
          'subject_types_supported',
          'id_token_signing_alg_values_supported',
          'response_types_supported',
          'userinfo_endpoint',
          'end_session_endpoint',
          'claims_supported',
        ]),
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: tenant === tenantId ? tokenIssuer : template,
        request_uri_parameter_supported: false,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        tenant_region_scope: 'EU',
        cloud_instance_name: 'localhost',
      }
    },
    configure: (config) => {
      config.claims = { ...config.claims, openid: ['sub', 'tid'] }
      config.extraTokenClaims = async () => ({ tid: tenantId })
      config.features.revocation = { enabled: false }
      config.features.pushedAuthorizationRequests = { enabled: false }
    },
    claims: () => ({ tid: tenantId }),
    logoutPath: routes.end_session,
    info: {
      tenantId,
      tokenIssuer,
      issuerTemplate: template,
      logoutEndpoint: `${origin}/common${routes.end_session}`,
    },
    middlewares: () => [editAuthorizationResponses(redirectUris, (params) => params.delete('iss'))],
  }
}

/**
 * Keycloak: realm issuer `…/realms/NAME`, `/protocol/openid-connect/*` endpoints, `session_state` on
 * the authorization response, RP-initiated logout that refuses `post_logout_redirect_uri` without
 * `id_token_hint` or `client_id`, and confirms only when no `id_token_hint` is given.
 *
 * @param {ModeContext} ctx
 * @returns {ProviderMode}
 */
function keycloakMode({ origin, redirectUris }) {
  const mount = `/realms/${KEYCLOAK_REALM}`
  const oidc = '/protocol/openid-connect'
  const routes = {
    authorization: `${oidc}/auth`,
    token: `${oidc}/token`,
    revocation: `${oidc}/revoke`,
    userinfo: `${oidc}/userinfo`,
    end_session: `${oidc}/logout`,
    jwks: `${oidc}/certs`,
    pushed_authorization_request: `${oidc}/ext/par/request`,
  }
  return {
    name: 'keycloak',
    issuer: `${origin}${mount}`,
    tokenIssuer: `${origin}${mount}`,
    routes,
    route: mountedAt(mount),
    discoveryPaths: ['/.well-known/openid-configuration'],
    logoutPath: routes.end_session,
    autoConfirmLogout: 'with-id-token-hint',
    info: { realm: KEYCLOAK_REALM, logoutEndpoint: `${origin}${mount}${routes.end_session}` },
    middlewares: () => [
      async (ctx, next) => {
        if (ctx.path === routes.end_session && ctx.method === 'GET') {
          const q = new URL(ctx.req.url ?? '/', origin).searchParams
          if (q.has('post_logout_redirect_uri') && !q.has('id_token_hint') && !q.has('client_id')) {
            return errorPage(ctx, 400, {
              error: 'invalid_request',
              error_description: 'Missing parameters: id_token_hint',
            })
          }
        }
        await next()
      },
      editAuthorizationResponses(redirectUris, (params, ctx) => {
        if (params.has('code')) params.set('session_state', ctx.oidc?.session?.uid ?? randomUUID())
      }),
    ],
  }
}

/**
 * Okta: custom authorization server issuer `…/oauth2/default`, `/v1/*` endpoints, and an
 * `end_session_endpoint` that requires `id_token_hint` (and logs out without a confirmation page).
 *
 * @param {ModeContext} ctx
 * @returns {ProviderMode}
 */
function oktaMode({ origin }) {
  const mount = '/oauth2/default'
  const routes = {
    authorization: '/v1/authorize',
    token: '/v1/token',
    revocation: '/v1/revoke',
    userinfo: '/v1/userinfo',
    end_session: '/v1/logout',
    jwks: '/v1/keys',
    pushed_authorization_request: '/v1/par',
  }
  return {
    name: 'okta',
    issuer: `${origin}${mount}`,
    tokenIssuer: `${origin}${mount}`,
    routes,
    route: mountedAt(mount),
    discoveryPaths: [
      '/.well-known/openid-configuration',
      '/.well-known/oauth-authorization-server',
    ],
    logoutPath: routes.end_session,
    autoConfirmLogout: 'always',
    info: { logoutEndpoint: `${origin}${mount}${routes.end_session}` },
    middlewares: () => [
      async (ctx, next) => {
        if (ctx.path === routes.end_session && ctx.method === 'GET') {
          const q = new URL(ctx.req.url ?? '/', origin).searchParams
          if (!q.has('id_token_hint')) {
            return errorPage(ctx, 400, {
              error: 'invalid_request',
              error_description: 'The id_token_hint parameter is required.',
            })
          }
        }
        await next()
      },
    ],
  }
}

/**
 * The mode's middlewares, outermost first: logout hit counting, the mode's own, then the
 * discovery reshaping (which runs after oidc-provider and the resource-scope advertising).
 *
 * @param {ProviderMode} mode
 * @param {any} provider
 * @param {ModeHooks} hooks
 * @returns {Middleware[]}
 */
export function modeMiddlewares(mode, provider, hooks) {
  /** @type {Middleware[]} */
  const list = [countLogoutHits(mode.logoutPath, hooks.countLogout)]
  list.push(...(mode.middlewares?.(provider, hooks) ?? []))
  if (mode.metadata) list.push(reshapeDiscovery(mode.discoveryPaths, mode.metadata))
  return list
}
