/**
 * Small koa middlewares mounted on the oidc-provider instance with `provider.use`.
 */

/**
 * @typedef {{ token: { authorization_code: number, refresh_token: number, device_code: number },
 *   revocation: number, refreshTokenErrors: number, deviceSlowDown: number }} AuthStats
 * @typedef {{ path: string, method: string, status: number, get(name: string): string,
 *   set(name: string, value: string): void, remove(name: string): void,
 *   response: { headers: Record<string, unknown> }, body: unknown,
 *   oidc?: { route?: string, body?: Record<string, unknown>, params?: Record<string, unknown> } }} KoaContext
 * @typedef {(ctx: KoaContext, next: () => Promise<void>) => Promise<void>} KoaMiddleware
 */

/**
 * Headers a browser app must be able to read on token/revocation/userinfo responses; Retry-After
 * too, or the browser hides a 429/503's wait from the SDK's backoff.
 */
export const EXPOSED_HEADERS = ['DPoP-Nonce', 'WWW-Authenticate', 'Retry-After']

/** @returns {AuthStats} */
export function createAuthStats() {
  return {
    token: { authorization_code: 0, refresh_token: 0, device_code: 0 },
    revocation: 0,
    refreshTokenErrors: 0,
    deviceSlowDown: 0,
  }
}

/** @param {AuthStats} stats */
export function resetAuthStats(stats) {
  stats.token.authorization_code = 0
  stats.token.refresh_token = 0
  stats.token.device_code = 0
  stats.revocation = 0
  stats.refreshTokenErrors = 0
  stats.deviceSlowDown = 0
}

/**
 * Counts POST requests to the token endpoint (by `grant_type`) and to the revocation endpoint,
 * and refresh_token requests answered with an error. A request is counted once the provider has
 * handled it, before its response is written, so a client that has seen a response always sees it
 * counted.
 *
 * @param {AuthStats} stats
 * @param {{ token: string, revocation: string }} paths
 * @returns {KoaMiddleware}
 */
export function countRequests(stats, paths) {
  return async (ctx, next) => {
    try {
      await next()
    } finally {
      if (ctx.method === 'POST' && ctx.path === paths.token) {
        const grantType = ctx.oidc?.body?.grant_type ?? ctx.oidc?.params?.grant_type
        if (grantType === 'authorization_code' || grantType === 'refresh_token') {
          stats.token[grantType] += 1
        }
        if (grantType === DEVICE_GRANT) stats.token.device_code += 1
        if (grantType === 'refresh_token' && ctx.status >= 400) stats.refreshTokenErrors += 1
      } else if (ctx.method === 'POST' && ctx.path === paths.revocation) {
        stats.revocation += 1
      }
    }
  }
}

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'

/**
 * RFC 8628 pacing, which oidc-provider leaves to the deployment: device authorization responses
 * name the polling `interval` (seconds), and a poll that comes sooner than that after the previous
 * one for the same device code, while the person has not decided yet, is answered `slow_down`
 * (counted in `stats.deviceSlowDown`); the code's interval then grows by 5 s, as the client's must.
 *
 * @param {AuthStats} stats
 * @param {{ token: string, device_authorization?: string }} paths
 * @param {number} interval
 * @returns {KoaMiddleware}
 */
export function paceDeviceFlow(stats, paths, interval) {
  /** @type {Map<string, { interval: number, last: number }>} */
  const codes = new Map()
  const deviceAuthorization = paths.device_authorization ?? '/device/auth'
  return async (ctx, next) => {
    await next()
    if (ctx.method !== 'POST') return
    const body = /** @type {Record<string, unknown> | undefined} */ (ctx.body)
    if (
      ctx.path === deviceAuthorization &&
      ctx.status === 200 &&
      typeof body?.device_code === 'string'
    ) {
      body.interval = interval
      codes.set(body.device_code, { interval, last: Date.now() })
      return
    }
    const params = ctx.oidc?.body ?? ctx.oidc?.params
    if (ctx.path !== paths.token || params?.grant_type !== DEVICE_GRANT) return
    const code = codes.get(String(params.device_code))
    if (!code) return
    // A poll refused for a DPoP nonce did not count: its retry with the nonce comes at once.
    if (body?.error === 'use_dpop_nonce') return
    const now = Date.now()
    // 200 ms for the network: a client that waited the interval is never told off.
    const early = now - code.last < code.interval * 1000 - 200
    code.last = now
    if (early && body?.error === 'authorization_pending') {
      code.interval += 5
      stats.deviceSlowDown += 1
      ctx.body = { error: 'slow_down', error_description: 'poll less often (RFC 8628 §3.5)' }
    }
  }
}

/**
 * Tightens oidc-provider's CORS on the endpoints a browser client calls with fetch (token,
 * revocation, userinfo): only the app origins get `Access-Control-*` headers (oidc-provider answers
 * every preflight with the request's origin and checks the origin only once the client is known),
 * and `DPoP-Nonce` + `WWW-Authenticate` are always exposed (oidc-provider exposes `DPoP-Nonce`
 * only when a DPoP nonce secret is configured).
 *
 * @param {Set<string>} appOrigins
 * @param {Set<string>} paths
 * @returns {KoaMiddleware}
 */
export function restrictCors(appOrigins, paths) {
  return async (ctx, next) => {
    try {
      await next()
    } finally {
      const origin = ctx.get('Origin')
      if (origin && paths.has(ctx.path)) {
        if (!appOrigins.has(origin)) {
          for (const name of Object.keys(ctx.response.headers)) {
            if (name.toLowerCase().startsWith('access-control-')) ctx.remove(name)
          }
        } else if (ctx.method !== 'OPTIONS') {
          const current = String(ctx.response.headers['access-control-expose-headers'] ?? '')
          const names = current
            .split(',')
            .map((h) => h.trim())
            .filter(Boolean)
          for (const header of EXPOSED_HEADERS) {
            if (!names.some((n) => n.toLowerCase() === header.toLowerCase())) names.push(header)
          }
          ctx.set('Access-Control-Allow-Origin', origin)
          ctx.set('Access-Control-Expose-Headers', names.join(', '))
        }
      }
    }
  }
}

/**
 * Adds the resource-server scopes (e.g. `read`, `write`) to the discovery document's
 * `scopes_supported`, which oidc-provider fills with the OpenID Connect scopes only.
 *
 * @param {string[]} resourceScopes
 * @param {Set<string>} discoveryPaths
 * @returns {KoaMiddleware}
 */
export function advertiseResourceScopes(resourceScopes, discoveryPaths) {
  return async (ctx, next) => {
    await next()
    const body = /** @type {{ scopes_supported?: unknown }} */ (ctx.body)
    if (discoveryPaths.has(ctx.path) && body && Array.isArray(body.scopes_supported)) {
      const scopes = new Set([...body.scopes_supported, ...resourceScopes])
      body.scopes_supported = [...scopes]
    }
  }
}
