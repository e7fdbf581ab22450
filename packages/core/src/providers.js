import { checkSecureUrl } from './config.js'
import { ConfigurationError, OAuthError } from './errors.js'
/** The scopes asked for when neither the app nor the adapter names any. */
export const DEFAULT_SCOPE = 'openid profile email offline_access'
/** Authorization request parameters the SDK owns: no adapter may set them. */
const RESERVED_AUTHORIZATION = [
  'client_id',
  'redirect_uri',
  'response_type',
  'response_mode',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'dpop_jkt',
  'request',
  'request_uri',
]
/** Token request parameters the SDK owns. */
const RESERVED_TOKEN = [
  'grant_type',
  'client_id',
  'code',
  'code_verifier',
  'redirect_uri',
  'refresh_token',
  'client_secret',
  'client_assertion',
  'client_assertion_type',
]
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
function checkParams(params, reserved, what, name) {
  const out = {}
  for (const [k, v] of Object.entries(params ?? {})) {
    if (reserved.includes(k)) {
      throw new ConfigurationError(
        `The "${name}" provider adapter may not set the ${what} parameter "${k}": the SDK sets it.`,
      )
    }
    if (typeof v !== 'string') {
      throw new ConfigurationError(
        `The "${name}" provider adapter's ${what} parameter "${k}" must be a string.`,
      )
    }
    out[k] = v
  }
  return out
}
/**
 * Checks an adapter written by hand and returns it: a `name`, no protocol parameters among its
 * defaults, and a well-formed issuer template. Use it for your own server:
 *
 * ```ts
 * const myServer = defineProvider({
 *   name: 'my-server',
 *   metadata: (as) => ({ revocation_endpoint: as.revocation_endpoint ?? `${as.issuer}/o/revoke_token/` }),
 *   scope: 'openid profile',
 * })
 * createAuthClient({ issuer, clientId, redirectUri, provider: myServer })
 * ```
 */
export function defineProvider(adapter) {
  if (!adapter || typeof adapter.name !== 'string' || !adapter.name) {
    throw new ConfigurationError('A provider adapter needs a `name`.')
  }
  checkParams(adapter.authorizationParams, RESERVED_AUTHORIZATION, 'authorization', adapter.name)
  checkParams(adapter.tokenParams, RESERVED_TOKEN, 'token', adapter.name)
  const t = adapter.issuerTemplate
  if (t && (!/^\{[a-z]+\}$/.test(t.placeholder) || !t.claim || !Array.isArray(t.anyTenant))) {
    throw new ConfigurationError(
      `The "${adapter.name}" provider adapter's issuerTemplate needs a placeholder like "{tenantid}", a claim and anyTenant.`,
    )
  }
  return adapter
}
// ---------------------------------------------------------------------------------------------
// Helpers the core calls (see the list at the top)
// ---------------------------------------------------------------------------------------------
/** The configured issuer as the adapter normalizes it; the origin never changes. */
export function normalizeIssuer(issuer, adapter) {
  if (!adapter?.normalizeIssuer) return issuer
  const next = adapter.normalizeIssuer(issuer)
  if (
    typeof next !== 'string' ||
    checkSecureUrl(next, 'issuer').origin !== checkSecureUrl(issuer, 'issuer').origin
  ) {
    throw new ConfigurationError(
      `The "${adapter.name}" provider adapter changed the issuer's origin ("${issuer}" → "${String(next)}").`,
    )
  }
  return next
}
/**
 * The issuer the server's metadata must name: the configured one, or for a multi-tenant issuer
 * (`…/common/v2.0`) the adapter's template (`…/{tenantid}/v2.0`). oauth4webapi still compares it
 * exactly (`processDiscoveryResponse`).
 */
export function expectedIssuer(issuer, adapter) {
  const t = adapter?.issuerTemplate
  if (!t) return issuer
  const url = new URL(issuer)
  const segments = url.pathname.split('/')
  const i = segments.findIndex((s, n) => n > 0 && t.anyTenant.includes(s.toLowerCase()))
  if (i < 0) return issuer
  segments[i] = t.placeholder
  // built by hand: URL would percent-encode the braces, and the metadata names them raw
  return `${url.origin}${segments.join('/')}`
}
/**
 * Metadata after the adapter's changes, with what protects the user put back: the `issuer`, the
 * PKCE methods and `require_pushed_authorization_requests`/`authorization_response_iss_parameter_supported`
 * as the server said (an adapter may only turn the last two on), signing algorithms narrowed at
 * most (never `none`), and every endpoint https (http only on loopback).
 */
export function applyMetadata(as, adapter, ctx) {
  if (!adapter?.metadata) return as
  const patch = adapter.metadata(Object.freeze({ ...as }), ctx) ?? {}
  const next = {
    ...as,
    ...patch,
    issuer: as.issuer,
  }
  next.code_challenge_methods_supported = as.code_challenge_methods_supported
  if (as.require_pushed_authorization_requests) next.require_pushed_authorization_requests = true
  if (as.authorization_response_iss_parameter_supported)
    next.authorization_response_iss_parameter_supported = true
  for (const key of [
    'id_token_signing_alg_values_supported',
    'dpop_signing_alg_values_supported',
    'userinfo_signing_alg_values_supported',
  ]) {
    const server = as[key]
    const wanted = next[key]
    next[key] = Array.isArray(wanted)
      ? wanted.filter((alg) => alg !== 'none' && (!server || server.includes(alg)))
      : server
  }
  for (const [key, value] of Object.entries(next)) {
    if ((key.endsWith('_endpoint') || key === 'jwks_uri') && value !== undefined) {
      if (typeof value !== 'string') {
        throw new ConfigurationError(
          `The "${adapter.name}" provider adapter set ${key} to a non-string.`,
        )
      }
      if (key in patch) checkSecureUrl(value, key)
    }
  }
  return next
}
/**
 * The default scope when the app sets none: the adapter's, else those of
 * `openid profile email offline_access` that the metadata's `scopes_supported` lists (all four when
 * it lists none), so a server that refuses `offline_access` (Cognito, django-oauth-toolkit) still
 * logs in. An explicit app scope is not this function's business: send it as given.
 */
export function defaultScope(as, adapter) {
  if (adapter?.scope !== undefined) return adapter.scope
  const supported = as.scopes_supported
  if (!Array.isArray(supported) || supported.length === 0) return DEFAULT_SCOPE
  return DEFAULT_SCOPE.split(' ')
    .filter((s) => supported.includes(s))
    .join(' ')
}
/** The adapter's authorization request parameters (never a protocol one). */
export const authorizationParams = (adapter) =>
  adapter
    ? checkParams(
        adapter.authorizationParams,
        RESERVED_AUTHORIZATION,
        'authorization',
        adapter.name,
      )
    : {}
/** The adapter's token request parameters (never a protocol one). */
export const tokenParams = (adapter) =>
  adapter ? checkParams(adapter.tokenParams, RESERVED_TOKEN, 'token', adapter.name) : {}
const decodePayload = (jwt) => {
  const part = jwt.split('.')[1]
  if (!part) return undefined
  try {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/')
    const bytes = Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) =>
      c.charCodeAt(0),
    )
    const value = JSON.parse(new TextDecoder().decode(bytes))
    return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined
  } catch {
    return undefined
  }
}
const badIssuer = (message) =>
  new OAuthError(
    'invalid_response',
    undefined,
    undefined,
    `${message} Nothing was stored: call login() again.`,
  )
/**
 * The issuer an ID token must carry. For a server whose metadata names a template
 * (`https://login.microsoftonline.com/{tenantid}/v2.0`), the template with the tenant id from the
 * token's own claim (`tid`) filled in — read from the unverified payload only to build the
 * expected value, which oauth4webapi then compares with `iss` exactly. The tenant id must be a
 * lowercase GUID (and one of `allowedTenants` when set), so it cannot change the issuer's host or
 * path shape. Anything else: `as.issuer` unchanged.
 */
export function resolveIssuer(as, idToken, adapter) {
  const t = adapter?.issuerTemplate
  const template = as.issuer
  if (!template.includes('{') && !template.includes('}')) return template
  if (!t || template.split(t.placeholder).length !== 2) {
    throw badIssuer(
      `The server's issuer "${template}" is a template this client was not set up for (use its provider adapter).`,
    )
  }
  // The placeholder must be a whole path segment after the origin, and the only braces.
  const at = template.indexOf(t.placeholder)
  const origin = new URL(template.replace(t.placeholder, 'tenant')).origin
  const after = template.slice(at + t.placeholder.length)
  if (
    at <= origin.length ||
    template[at - 1] !== '/' ||
    !template.startsWith(origin) ||
    (after !== '' && !after.startsWith('/')) ||
    /[{}]/.test(template.replace(t.placeholder, ''))
  ) {
    throw badIssuer(`The server's issuer template "${template}" is malformed.`)
  }
  if (idToken === undefined) return template
  const tenant = decodePayload(idToken)?.[t.claim]
  if (typeof tenant !== 'string' || !TENANT_ID.test(tenant)) {
    throw badIssuer(`The ID token's "${t.claim}" is not a tenant id.`)
  }
  if (t.allowedTenants && !t.allowedTenants.includes(tenant)) {
    throw badIssuer(`The ID token is from tenant ${tenant}, which this app does not accept.`)
  }
  return template.replace(t.placeholder, tenant)
}
/**
 * The metadata to validate a token response with: `as`, or for an issuer template `as` with the
 * concrete issuer of this response's ID token (see {@link resolveIssuer}). Reads a clone of the
 * response; the original stays unread for oauth4webapi.
 */
export async function serverForTokenResponse(as, response, adapter) {
  if (!adapter?.issuerTemplate || !as.issuer.includes(adapter.issuerTemplate.placeholder)) {
    // a plain issuer comes back unchanged; a template without its adapter is refused here
    resolveIssuer(as, undefined, adapter)
    return as
  }
  let idToken
  try {
    idToken = (await response.clone().json())?.id_token
  } catch {
    return as // not JSON: oauth4webapi reports it
  }
  return {
    ...as,
    issuer: resolveIssuer(as, typeof idToken === 'string' ? idToken : undefined, adapter),
  }
}
/** An `OAuthError` as the adapter says the server meant it (same class: always an error). */
export function mapOAuthError(adapter, err, during) {
  if (!adapter?.mapError) return err
  const mapped = adapter.mapError({
    error: err.error,
    error_description: err.error_description,
    status: err.status,
    during,
  })
  if (
    !mapped ||
    typeof mapped.error !== 'string' ||
    (mapped.error === err.error &&
      mapped.error_description === err.error_description &&
      mapped.status === err.status)
  )
    return err
  return new OAuthError(mapped.error, mapped.error_description, mapped.status)
}
/**
 * OpenID Connect RP-Initiated Logout 1.0: `end_session_endpoint` with `client_id`,
 * `id_token_hint` (when there is an ID token), `post_logout_redirect_uri` and `state`. Undefined
 * when the metadata lists no end-session endpoint.
 */
export function rpInitiatedLogoutUrl(input) {
  if (!input.endSessionEndpoint) return undefined
  const url = new URL(input.endSessionEndpoint)
  url.searchParams.set('client_id', input.clientId)
  if (input.idToken) url.searchParams.set('id_token_hint', input.idToken)
  url.searchParams.set('post_logout_redirect_uri', input.postLogoutRedirectUri)
  if (input.state) url.searchParams.set('state', input.state)
  return url
}
/** The logout URL for this server (adapter's, else RP-initiated logout), https only. */
export function logoutUrl(as, adapter, input) {
  const full = {
    ...input,
    endSessionEndpoint: as.end_session_endpoint,
    issuer: as.issuer,
  }
  const url = adapter?.logoutUrl ? adapter.logoutUrl(full) : rpInitiatedLogoutUrl(full)
  return url === undefined ? undefined : checkSecureUrl(url.href, 'the logout URL')
}
// ---------------------------------------------------------------------------------------------
// The presets
// ---------------------------------------------------------------------------------------------
const withoutTrailingSlash = (issuer) => issuer.replace(/\/+$/, '')
/**
 * Amazon Cognito user pools. `domain` is the hosted-UI / managed-login base URL
 * (`https://PREFIX.auth.REGION.amazoncognito.com` or your custom domain).
 * - logout at `DOMAIN/logout?client_id=…&logout_uri=…` (Cognito ignores `post_logout_redirect_uri`
 *   and `id_token_hint`, and shows an error page without `client_id`);
 * - revocation at `DOMAIN/oauth2/revoke` when the metadata lists none;
 * - default scope `openid email profile` (Cognito refuses `offline_access` and issues refresh
 *   tokens without it); its `invalid_request` + `invalid_scope` answer is read as `invalid_scope`.
 */
export function cognito(options) {
  const given = options?.domain
  if (typeof given !== 'string' || !given) {
    throw new ConfigurationError(
      'cognito({ domain }) needs the user pool domain, e.g. "https://myapp.auth.us-east-1.amazoncognito.com".',
    )
  }
  const url = checkSecureUrl(
    /^[a-z][a-z0-9+.-]*:\/\//i.test(given) ? given : `https://${given}`,
    'cognito domain',
  )
  if (url.pathname !== '/' || url.search || url.hash) {
    throw new ConfigurationError(
      `cognito({ domain }) takes the domain's base URL only, not "${given}".`,
    )
  }
  const domain = url.origin
  return {
    name: 'cognito',
    normalizeIssuer: withoutTrailingSlash,
    metadata: (as) =>
      as.revocation_endpoint ? {} : { revocation_endpoint: `${domain}/oauth2/revoke` },
    scope: 'openid email profile',
    logoutUrl: ({ clientId, postLogoutRedirectUri }) => {
      const logout = new URL(`${domain}/logout`)
      logout.searchParams.set('client_id', clientId)
      logout.searchParams.set('logout_uri', postLogoutRedirectUri)
      return logout
    },
    mapError: (e) =>
      e.error === 'invalid_request' && e.error_description === 'invalid_scope'
        ? {
            error: 'invalid_scope',
            error_description: 'Cognito refused a scope the app asked for.',
            status: e.status,
          }
        : e,
  }
}
/**
 * Auth0. The issuer works with or without its trailing slash; `audience` (your API's identifier)
 * goes on the authorization request; logout uses `end_session_endpoint` when the tenant lists it,
 * else `/v2/logout?client_id=…&returnTo=…`; a refresh answered `403 invalid_grant` ends the session
 * like a `400`.
 */
export function auth0(options = {}) {
  const audience = options?.audience
  if (audience !== undefined && (typeof audience !== 'string' || !audience)) {
    throw new ConfigurationError('auth0({ audience }) takes your API identifier as a string.')
  }
  return {
    name: 'auth0',
    normalizeIssuer: (issuer) => (issuer.endsWith('/') ? issuer : `${issuer}/`),
    authorizationParams: audience ? { audience } : undefined,
    logoutUrl: (input) => {
      if (input.endSessionEndpoint) return rpInitiatedLogoutUrl(input)
      const logout = new URL('/v2/logout', input.issuer)
      logout.searchParams.set('client_id', input.clientId)
      logout.searchParams.set('returnTo', input.postLogoutRedirectUri)
      return logout
    },
    mapError: (e) => (e.status === 403 && e.error === 'invalid_grant' ? { ...e, status: 400 } : e),
  }
}
/**
 * Microsoft Entra ID (v2.0 endpoints). Accepts the multi-tenant `{tenantid}` issuer template of
 * `/common/v2.0` and `/organizations/v2.0` by checking each ID token's `iss` against the template
 * with the token's own `tid` filled in (optionally limited to `tenants`); default scope
 * `openid profile email offline_access` (refresh tokens need `offline_access`); Entra has no
 * revocation endpoint, so logout ends the local session and then signs out at the
 * `end_session_endpoint`.
 */
export function entra(options = {}) {
  const tenants = options?.tenants
  if (
    tenants !== undefined &&
    (!Array.isArray(tenants) || !tenants.every((t) => TENANT_ID.test(t)))
  ) {
    throw new ConfigurationError('entra({ tenants }) takes tenant ids: lowercase GUIDs.')
  }
  return {
    name: 'entra',
    normalizeIssuer: withoutTrailingSlash,
    issuerTemplate: {
      placeholder: '{tenantid}',
      claim: 'tid',
      anyTenant: ['common', 'organizations'],
      allowedTenants: tenants,
    },
    scope: DEFAULT_SCOPE,
    // Entra ignores id_token_hint; keep the ID token out of the URL (and the server's logs).
    logoutUrl: (input) => rpInitiatedLogoutUrl({ ...input, idToken: undefined }),
  }
}
/**
 * Keycloak. Realm issuers (`…/realms/NAME`, trailing slash removed); RP-initiated logout always
 * with `client_id` and, when there is one, `id_token_hint` (Keycloak then logs out without asking);
 * default scope `openid profile email` (Keycloak issues refresh tokens without `offline_access`,
 * which would ask for an offline token that outlives the SSO session). `session_state` in the
 * callback needs nothing.
 */
export function keycloak() {
  return {
    name: 'keycloak',
    normalizeIssuer: withoutTrailingSlash,
    scope: 'openid profile email',
  }
}
/**
 * Okta (custom authorization servers `…/oauth2/default`, or the org server). The logout endpoint
 * requires `id_token_hint`: without an ID token the logout stays local instead of landing on
 * Okta's error page. Default scope `openid profile email offline_access`.
 */
export function okta() {
  return {
    name: 'okta',
    normalizeIssuer: withoutTrailingSlash,
    scope: DEFAULT_SCOPE,
    logoutUrl: (input) => (input.idToken ? rpInitiatedLogoutUrl(input) : undefined),
  }
}
//# sourceMappingURL=providers.js.map
