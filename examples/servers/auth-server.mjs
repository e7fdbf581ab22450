import { randomBytes } from 'node:crypto'
import Provider, { errors } from 'oidc-provider'

import { findAccount } from './accounts.mjs'
import { logoutSource, postLogoutSuccessSource, renderError } from './auth-pages.mjs'
import {
  advertiseResourceScopes,
  countRequests,
  createAuthStats,
  DEVICE_GRANT,
  paceDeviceFlow,
  resetAuthStats,
  restrictCors,
} from './auth-middleware.mjs'
import { applyCors } from './cors.mjs'
import { listenLoopback, localOrigin, sendJson } from './http-util.mjs'
import { generateSigningJwks, randomCookieKeys } from './keys.mjs'
import { modeMiddlewares, providerMode } from './providers.mjs'

export const CLIENT_ID = 'demo-spa'
/** The same app registered with `require_pushed_authorization_requests` (RFC 9126). */
export const PAR_CLIENT_ID = 'demo-spa-par'
export const RESOURCE_SCOPES = ['read', 'write']
const OIDC_SCOPES = ['openid', 'offline_access', 'profile', 'email']

/**
 * @typedef {object} AuthServerOptions
 * @property {number} [port] default 9000; 0 picks a free port
 * @property {string[]} [appOrigins] origins of the SPA, default ['http://localhost:5173']
 * @property {string[]} [apiResources] resource indicators (API URLs), default ['http://localhost:9001']
 * @property {number} [accessTokenTtl] seconds, default 300
 * @property {number} [refreshTokenTtl] seconds, default 86400 (absolute: rotation keeps the expiry)
 * @property {number} [idTokenTtl] seconds, default 3600
 * @property {boolean} [requireDpopNonce] require server-provided DPoP nonces at the token endpoint
 * @property {boolean} [testHooks] serve /__test/stats and /__test/reset
 * @property {boolean} [coop] send `Cross-Origin-Opener-Policy: same-origin` on the login, consent
 *   and device pages, as many providers do (with testHooks: POST /__test/coop?on=1|0 switches it)
 * @property {number} [deviceInterval] seconds between device-flow polls (RFC 8628 `interval`),
 *   default 5; earlier polls are answered `slow_down`
 * @property {import('./providers.mjs').ProviderName} [provider] behave like that provider (see
 *   providers.mjs); default: a server that follows the specs
 *
 * @typedef {import('./auth-middleware.mjs').AuthStats & { logout: { count: number,
 *   last: import('./providers.mjs').LogoutHit | null } }} AuthStats
 * @typedef {{ issuer: string, tokenIssuer: string, port: number, close: () => Promise<void>,
 *   stats: AuthStats, provider: Provider, providerName: string,
 *   providerInfo: Record<string, string | undefined> }} AuthServer
 */

/** @param {string[]} appOrigins */
function demoClient(appOrigins) {
  return {
    client_id: CLIENT_ID,
    client_name: 'oauth-spa demo',
    application_type: 'web',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token', DEVICE_GRANT],
    response_types: ['code'],
    redirect_uris: appOrigins.flatMap((o) => [
      `${o}/`,
      `${o}/callback`,
      `${o}/silent-callback.html`,
    ]),
    post_logout_redirect_uris: appOrigins.flatMap((o) => [`${o}/`, `${o}/logged-out`]),
  }
}

/**
 * Starts a real OpenID Connect provider (oidc-provider) for the demo SPA.
 *
 * @param {AuthServerOptions} [opts]
 * @returns {Promise<AuthServer>}
 */
export async function startAuthServer(opts = {}) {
  const appOrigins = opts.appOrigins ?? ['http://localhost:5173']
  const apiResources = new Set(opts.apiResources ?? ['http://localhost:9001'])
  const accessTokenTtl = opts.accessTokenTtl ?? 300
  const refreshTokenTtl = opts.refreshTokenTtl ?? 86400
  const idTokenTtl = opts.idTokenTtl ?? 3600
  /** @type {AuthStats} */
  const stats = { ...createAuthStats(), logout: { count: 0, last: null } }

  const pages = { coop: opts.coop ?? false }
  /** @type {import('node:http').RequestListener | undefined} */
  let providerHandler
  /** @type {import('node:http').RequestListener} */
  const handler = (req, res) => {
    if (opts.testHooks && req.url?.startsWith('/__test/')) {
      handleTestHook(req, res, appOrigins, stats, pages)
      return
    }
    // The HTML pages a person sees in a login popup (not the endpoints the app fetches).
    if (pages.coop && /^\/(interaction|device(?!\/auth)|session\/end)/.test(req.url ?? '')) {
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
    }
    if (!providerHandler || !mode) {
      sendJson(res, 503, { error: 'temporarily_unavailable' })
      return
    }
    // The provider stand-ins serve oidc-provider under a path (Keycloak's realm, Okta's
    // authorization server, Entra's tenant): oidc-provider takes the mount path from originalUrl.
    const routed = mode.route({ url: req.url ?? '/' })
    if (!routed) {
      sendJson(res, 404, { error: 'not_found' })
      return
    }
    Object.assign(req, { originalUrl: `${routed.mountPath}${routed.url}`, url: routed.url })
    providerHandler(req, res)
  }
  /** @type {import('./providers.mjs').ProviderMode | undefined} */
  let mode

  // Listen first so that port 0 resolves to the real port before the issuer is fixed.
  const listening = await listenLoopback(handler, opts.port ?? 9000)
  const origin = localOrigin(listening.port)
  const client = demoClient(appOrigins)
  // PAR made mandatory for one client only; the metadata does not say so (it is per client).
  const parClient = {
    ...client,
    client_id: PAR_CLIENT_ID,
    client_name: 'oauth-spa demo (PAR required)',
    require_pushed_authorization_requests: true,
  }
  try {
    mode = providerMode(opts.provider, {
      origin,
      clientId: CLIENT_ID,
      redirectUris: client.redirect_uris,
      logoutUris: client.post_logout_redirect_uris,
    })
  } catch (err) {
    await listening.close()
    throw err
  }
  const { routes } = mode
  const autoConfirm = mode.autoConfirmLogout ?? 'never'
  const extraClaims = mode.claims

  /** @type {Record<string, any>} */
  const config = {
    clients: [client, parClient],
    responseTypes: ['code'],
    routes,
    findAccount: extraClaims
      ? async (/** @type {unknown} */ ctx, /** @type {string} */ id) => {
          const account = await findAccount(ctx, id)
          return (
            account && {
              ...account,
              claims: async () => {
                const claims = await account.claims()
                return { ...claims, ...extraClaims(claims) }
              },
            }
          )
        }
      : findAccount,
    jwks: await generateSigningJwks(),
    cookies: { keys: randomCookieKeys() },
    scopes: OIDC_SCOPES,
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      email: ['email', 'email_verified'],
    },
    // Put the granted profile/email claims into the ID token too: JWT access tokens for the API
    // are not accepted by the userinfo endpoint, so the SPA can read the user from the ID token.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    renderError,
    clientBasedCORS: (_ctx, origin, client) =>
      [CLIENT_ID, PAR_CLIENT_ID].includes(client.clientId) && appOrigins.includes(origin),
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: () => true,
    enabledJWA: { dPoPSigningAlgValues: ['ES256', 'PS256', 'RS256', 'Ed25519', 'EdDSA'] },
    ttl: {
      AccessToken: accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: idTokenTtl,
      // absolute lifetime: a rotated refresh token keeps the expiry of the one it replaces
      RefreshToken: (ctx) => {
        const rotated = ctx?.oidc?.entities?.RotatedRefreshToken
        return rotated ? Math.max(rotated.remainingTTL, 1) : refreshTokenTtl
      },
      Interaction: 3600,
      Session: Math.max(refreshTokenTtl, 86400),
      Grant: Math.max(refreshTokenTtl, 86400),
    },
    features: {
      devInteractions: { enabled: true },
      revocation: {
        enabled: true,
        // a client may revoke only its own tokens; for a public client a foreign token is
        // ignored (RFC 7009: the response is 200 either way)
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource:
          autoConfirm === 'never'
            ? logoutSource
            : async (/** @type {any} */ ctx, /** @type {string} */ form) => {
                await logoutSource(ctx, form)
                if (autoConfirm === 'always' || ctx.oidc?.params?.id_token_hint) {
                  ctx.body = String(ctx.body).replace('</body>', `${AUTO_CONFIRM}</body>`)
                }
              },
        postLogoutSuccessSource,
      },
      userinfo: { enabled: true },
      // Device authorization grant (RFC 8628): user-code page at /device.
      deviceFlow: { enabled: true },
      introspection: { enabled: false },
      dPoP: opts.requireDpopNonce
        ? { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true }
        : { enabled: true },
      resourceIndicators: {
        enabled: true,
        // a token request without `resource` whose grant names several: the first one
        defaultResource: async (_ctx, _client, oneOf) => (oneOf ? oneOf[0] : undefined),
        // a token request without `resource` gets a token for the granted resource (also at refresh)
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resourceIndicator) => {
          if (!apiResources.has(resourceIndicator)) {
            throw new errors.InvalidTarget(`unknown resource indicator: ${resourceIndicator}`)
          }
          return {
            audience: resourceIndicator,
            scope: RESOURCE_SCOPES.join(' '),
            accessTokenTTL: accessTokenTtl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          }
        },
      },
    },
  }
  mode.configure?.(config)
  const provider = new Provider(mode.tokenIssuer, config)

  const countLogout = (/** @type {import('./providers.mjs').LogoutHit} */ hit) => {
    stats.logout.count += 1
    stats.logout.last = hit
  }
  for (const middleware of modeMiddlewares(mode, provider, {
    mode: {
      origin,
      clientId: CLIENT_ID,
      redirectUris: client.redirect_uris,
      logoutUris: client.post_logout_redirect_uris,
    },
    countLogout,
  })) {
    provider.use(/** @type {any} */ (middleware))
  }
  provider.use(countRequests(stats, routes))
  provider.use(paceDeviceFlow(stats, routes, opts.deviceInterval ?? 5))
  provider.use(
    restrictCors(new Set(appOrigins), new Set([routes.token, routes.revocation, routes.userinfo])),
  )
  provider.use(advertiseResourceScopes(RESOURCE_SCOPES, new Set(mode.discoveryPaths)))

  providerHandler = provider.callback()

  return {
    issuer: mode.issuer,
    tokenIssuer: mode.tokenIssuer,
    port: listening.port,
    stats,
    provider,
    providerName: mode.name,
    providerInfo: mode.info,
    close: listening.close,
  }
}

/** Submits oidc-provider's logout form at once (providers that log out without asking). */
const AUTO_CONFIRM = `<script>(function(){var f=document.getElementById('op.logoutForm');var i=document.createElement('input');i.type='hidden';i.name='logout';i.value='yes';f.appendChild(i);f.submit()})()</script>`

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {string[]} appOrigins
 * @param {AuthStats} stats
 * @param {{ coop: boolean }} pages
 */
function handleTestHook(req, res, appOrigins, stats, pages) {
  const preflight = applyCors(req, res, {
    origins: appOrigins,
    methods: ['GET', 'POST'],
    allowHeaders: ['Content-Type'],
  })
  if (preflight) return
  const url = new URL(req.url ?? '/', 'http://localhost')
  const path = url.pathname
  if (req.method === 'POST' && path === '/__test/coop') {
    pages.coop = url.searchParams.get('on') === '1'
    sendJson(res, 200, pages)
  } else if (req.method === 'GET' && path === '/__test/stats') {
    sendJson(res, 200, stats)
  } else if (req.method === 'POST' && path === '/__test/reset') {
    resetAuthStats(stats)
    stats.logout.count = 0
    stats.logout.last = null
    sendJson(res, 200, stats)
  } else {
    sendJson(res, 404, { error: 'not_found' })
  }
}
