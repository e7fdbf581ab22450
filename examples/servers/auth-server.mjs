import { randomBytes } from 'node:crypto'
import Provider, { errors } from 'oidc-provider'

import { findAccount } from './accounts.mjs'
import { logoutSource, postLogoutSuccessSource, renderError } from './auth-pages.mjs'
import {
  advertiseResourceScopes,
  countRequests,
  createAuthStats,
  resetAuthStats,
  restrictCors,
} from './auth-middleware.mjs'
import { applyCors } from './cors.mjs'
import { listenLoopback, localOrigin, sendJson } from './http-util.mjs'
import { generateSigningJwks, randomCookieKeys } from './keys.mjs'

export const CLIENT_ID = 'demo-spa'
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
 *
 * @typedef {import('./auth-middleware.mjs').AuthStats} AuthStats
 * @typedef {{ issuer: string, port: number, close: () => Promise<void>, stats: AuthStats,
 *   provider: Provider }} AuthServer
 */

/** @param {string[]} appOrigins */
function demoClient(appOrigins) {
  return {
    client_id: CLIENT_ID,
    client_name: 'oauth-spa demo',
    application_type: 'web',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
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
  const stats = createAuthStats()

  /** @type {import('node:http').RequestListener | undefined} */
  let providerHandler
  /** @type {import('node:http').RequestListener} */
  const handler = (req, res) => {
    if (opts.testHooks && req.url?.startsWith('/__test/')) {
      handleTestHook(req, res, appOrigins, stats)
      return
    }
    if (!providerHandler) {
      sendJson(res, 503, { error: 'temporarily_unavailable' })
      return
    }
    providerHandler(req, res)
  }

  // Listen first so that port 0 resolves to the real port before the issuer is fixed.
  const listening = await listenLoopback(handler, opts.port ?? 9000)
  const issuer = localOrigin(listening.port)

  const provider = new Provider(issuer, {
    clients: [demoClient(appOrigins)],
    responseTypes: ['code'],
    findAccount,
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
      client.clientId === CLIENT_ID && appOrigins.includes(origin),
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
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      userinfo: { enabled: true },
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
  })

  const routes = {
    token: '/token',
    revocation: '/token/revocation',
    userinfo: '/me',
  }
  provider.use(countRequests(stats, routes))
  provider.use(restrictCors(new Set(appOrigins), new Set(Object.values(routes))))
  provider.use(
    advertiseResourceScopes(
      RESOURCE_SCOPES,
      new Set(['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']),
    ),
  )

  providerHandler = provider.callback()

  return { issuer, port: listening.port, stats, provider, close: listening.close }
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {string[]} appOrigins
 * @param {AuthStats} stats
 */
function handleTestHook(req, res, appOrigins, stats) {
  const preflight = applyCors(req, res, {
    origins: appOrigins,
    methods: ['GET', 'POST'],
    allowHeaders: ['Content-Type'],
  })
  if (preflight) return
  const path = new URL(req.url ?? '/', 'http://localhost').pathname
  if (req.method === 'GET' && path === '/__test/stats') {
    sendJson(res, 200, stats)
  } else if (req.method === 'POST' && path === '/__test/reset') {
    resetAuthStats(stats)
    sendJson(res, 200, stats)
  } else {
    sendJson(res, 404, { error: 'not_found' })
  }
}
