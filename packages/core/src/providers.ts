/**
 * Provider adapters: what Auth0, Amazon Cognito, Microsoft Entra ID, Keycloak and Okta need beyond
 * the specs, behind one public interface a user can implement for any other server. An adapter is
 * data plus a few pure functions; it can add and reshape, never switch a check off: issuer, state,
 * nonce, PKCE and token binding stay with the core and oauth4webapi, and the helpers below (which
 * the core calls instead of the adapter's hooks) re-impose them whatever an adapter returns.
 *
 * How the core calls them: {@link defineProvider} (which every preset goes through) checks the
 * adapter once and attaches {@link ProviderHooks} under the {@link HOOKS} symbol — each hook is one
 * of the guarded helpers below bound to the adapter. The core only reads `cfg.provider?.hook(…)`,
 * so an app without a provider bundles none of this module but the symbol (tree-shaking), and an
 * adapter object that did not go through `defineProvider` is refused by `createAuthClient`.
 *
 * Where the core calls each hook (`p` = the hooks, undefined without a provider):
 *  1. resolveConfig: `options = p.configure(options)` before anything uses them: the issuer
 *     normalized (the storage namespace too), the adapter's scope when the app sets none, its
 *     authorization and token parameters below the app's `extraParams` / `extraTokenParams`.
 *  2. discover(): fetch at the issuer, validate against `p.expected(issuer)` (a template for a
 *     multi-tenant issuer), the cache likewise; on the fresh and the cached document (the server's
 *     own is cached): the app's `metadata` option, then `p.metadata(as, …)`.
 *  3. Scope: with neither an app nor an adapter `scope`, `defaultScope(as)` (the default scopes the
 *     metadata lists); an explicit scope is sent as given.
 *  4. An authorization response (redirect, popup, silent): its RFC 9207 `iss` is compared with
 *     `p.iss(tx.issuer, params)` (a template filled with the tenant that `iss` names, checked).
 *     Before oauth4webapi processes a token response (code exchange, refresh):
 *     `as = await p.forTokens(as, response, params?)` (the concrete issuer of a template, from the
 *     ID token's tenant claim; for a code exchange also the authorization response's `iss`).
 *  5. Errors from the server: `p.mapError(err, during)` before anything decides on them.
 *  6. logout(): revocation at `as.revocation_endpoint` (the adapter may have filled it; none → no
 *     revocation, the local session still ends), then `p.logoutUrl(as, …)` (undefined: local only).
 */
import type * as oauth from 'oauth4webapi'
import { checkSecureUrl } from './config.js'
import { ConfigurationError, OAuthError } from './errors.js'

/** Authorization server metadata (RFC 8414 / OpenID Connect Discovery), as oauth4webapi types it. */
export type ServerMetadata = oauth.AuthorizationServer

/** What an adapter may know about the app when it shapes metadata. */
export interface AdapterContext {
  /** The issuer after the adapter's `normalizeIssuer`. */
  readonly issuer: string
  readonly clientId: string
}

/** The inputs of a logout URL. */
export interface LogoutInput {
  /** The server's `end_session_endpoint`, when its metadata lists one. */
  readonly endSessionEndpoint?: string
  /** The server's issuer (from its metadata). */
  readonly issuer: string
  readonly clientId: string
  /** The session's ID token, when there is one. */
  readonly idToken?: string
  /** Where the user should land after logout; registered with the server. */
  readonly postLogoutRedirectUri: string
  /** Optional opaque value the server echoes back (RP-Initiated Logout 1.0 `state`). */
  readonly state?: string
}

/** An error the server answered, as an adapter sees and may rewrite it. */
export interface ProviderError {
  readonly error: string
  readonly error_description?: string
  /** The HTTP status, when the error came from a response. */
  readonly status?: number
  /** Which request failed (`device`: polling the token endpoint in a device login). */
  readonly during: 'authorization' | 'token' | 'refresh' | 'revocation' | 'device'
}

/**
 * A multi-tenant issuer template (Entra ID's `https://login.microsoftonline.com/{tenantid}/v2.0`).
 * The core accepts it only by filling the placeholder with the ID token's own tenant claim and then
 * letting oauth4webapi compare `iss` with the result exactly; the value must be a tenant id (a
 * lowercase GUID). Nothing here can make an issuer check lenient.
 */
export interface IssuerTemplate {
  /** The placeholder in the metadata's issuer; a whole path segment, e.g. `{tenantid}`. */
  readonly placeholder: `{${string}}`
  /** The ID token claim holding the tenant id, e.g. `tid`. */
  readonly claim: string
  /** Path segments of a configured issuer that stand for "any tenant", e.g. `common`. */
  readonly anyTenant: readonly string[]
  /** When set, only these tenant ids are accepted (a multi-tenant app limited to known tenants). */
  readonly allowedTenants?: readonly string[]
}

/**
 * A provider adapter: the `provider` option of `createAuthClient`. Every member is optional but
 * `name`. Write one with {@link defineProvider} for a server the presets do not cover.
 *
 * An adapter fills gaps and reshapes requests; it has no switch for the checks that protect the
 * user (issuer, `state`, `nonce`, PKCE, DPoP binding) and the core ignores attempts to weaken them
 * through metadata or parameters (the core re-imposes them on what an adapter returns).
 */
export interface ProviderAdapter {
  /** A short name for messages, e.g. `'cognito'`. */
  readonly name: string
  /**
   * Normalizes the configured issuer (e.g. Auth0's trailing slash). Must keep the origin.
   * @param issuer as the app configured it
   */
  normalizeIssuer?(issuer: string): string
  /** The server names a multi-tenant issuer template in its metadata (Entra ID). */
  readonly issuerTemplate?: IssuerTemplate
  /**
   * Fills or overrides metadata after discovery (missing endpoints, e.g. Cognito's revocation
   * endpoint); return only the fields to change. `issuer`, the PKCE methods and the signing
   * algorithms cannot be changed, and endpoints must be https (http only on loopback).
   */
  metadata?(as: Readonly<ServerMetadata>, ctx: AdapterContext): Partial<ServerMetadata>
  /** The scope to ask for when the app sets none (space-separated). */
  readonly scope?: string
  /** Parameters for every authorization request, below the app's `extraParams`. */
  readonly authorizationParams?: Readonly<Record<string, string>>
  /** Parameters for every token request (code exchange and refresh), below the app's. */
  readonly tokenParams?: Readonly<Record<string, string>>
  /**
   * Builds the URL the browser goes to for logout at the server, or `undefined` when there is none
   * for this session (logout then ends the local session only). Default: {@link rpInitiatedLogoutUrl}.
   */
  logoutUrl?(input: LogoutInput): URL | undefined
  /**
   * Rewrites a server error into the standard one it means (e.g. Auth0's `403 invalid_grant` for a
   * dead refresh token is a `400 invalid_grant`: the session ends). An error stays an error.
   */
  mapError?(error: ProviderError): Omit<ProviderError, 'during'>
}

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

function checkParams(
  params: Readonly<Record<string, string>> | undefined,
  reserved: string[],
  what: string,
  name: string,
): Record<string, string> {
  const out: Record<string, string> = {}
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
export function defineProvider<A extends ProviderAdapter>(adapter: A): A {
  if (!adapter || typeof adapter.name !== 'string' || !adapter.name) {
    throw new ConfigurationError('A provider adapter needs a `name`.')
  }
  // Checked here, not when a hook is first called mid-login: a wrong member fails at creation.
  for (const [key, kind] of [
    ['normalizeIssuer', 'function'],
    ['metadata', 'function'],
    ['logoutUrl', 'function'],
    ['mapError', 'function'],
    ['authorizationParams', 'object'],
    ['tokenParams', 'object'],
    ['issuerTemplate', 'object'],
  ] as const) {
    const value = adapter[key]
    if (value !== undefined && (typeof value !== kind || value === null)) {
      throw new ConfigurationError(
        `The "${adapter.name}" provider adapter's ${key} must be ${kind === 'object' ? 'an object' : 'a function'}.`,
      )
    }
  }
  const authorization = checkParams(
    adapter.authorizationParams,
    RESERVED_AUTHORIZATION,
    'authorization',
    adapter.name,
  )
  const token = checkParams(adapter.tokenParams, RESERVED_TOKEN, 'token', adapter.name)
  const t = adapter.issuerTemplate
  if (t && (!/^\{[a-z]+\}$/.test(t.placeholder) || !t.claim || !Array.isArray(t.anyTenant))) {
    throw new ConfigurationError(
      `The "${adapter.name}" provider adapter's issuerTemplate needs a placeholder like "{tenantid}", a claim and anyTenant.`,
    )
  }
  if (adapter.scope !== undefined && typeof adapter.scope !== 'string') {
    throw new ConfigurationError(`The "${adapter.name}" provider adapter's scope must be a string.`)
  }
  // A copy: what was checked here is what the core uses, whatever happens to `adapter` later.
  const copy = { ...adapter }
  const hooks: ProviderHooks = {
    name: adapter.name,
    configure: (options) => ({
      ...options,
      issuer: normalizeIssuer(options.issuer, copy),
      scope: options.scope ?? copy.scope,
      extraParams: { ...authorization, ...options.extraParams },
      extraTokenParams: { ...token, ...options.extraTokenParams },
    }),
    expected: (issuer) => expectedIssuer(issuer, copy),
    metadata: (as, { issuer, clientId }) => applyMetadata(as, copy, { issuer, clientId }),
    forTokens: (as, response, callback) =>
      serverForTokenResponse(as, response, copy, callback?.get('iss')),
    iss: (issuer, callback) => callbackIssuer({ issuer }, callback.get('iss'), copy),
    mapError: (err, during) => (err instanceof OAuthError ? mapOAuthError(copy, err, during) : err),
    logoutUrl: (as, input) => logoutUrl(as, copy, input),
  }
  return Object.defineProperty(copy, HOOKS, { value: hooks })
}

/**
 * Where {@link defineProvider} puts an adapter's {@link ProviderHooks}: a registered symbol, so
 * that the core finds them without importing this module's code.
 * @internal
 */
export const HOOKS: unique symbol = Symbol.for('@oauth-spa/core:provider') as never

/**
 * What the core calls: the adapter's hooks behind the guards of the helpers below (never the
 * adapter's own functions directly). Built once by {@link defineProvider}.
 * @internal
 */
export interface ProviderHooks {
  readonly name: string
  /**
   * The app's options with the adapter's part: the issuer normalized ({@link normalizeIssuer}),
   * the adapter's scope when the app sets none, its authorization and token parameters below the
   * app's `extraParams` / `extraTokenParams`.
   */
  configure<O extends ConfigurableOptions>(options: O): O
  /** {@link expectedIssuer} */
  expected(issuer: string): string
  /** {@link applyMetadata} */
  metadata(as: ServerMetadata, ctx: AdapterContext): ServerMetadata
  /** {@link serverForTokenResponse}, with the `iss` of the authorization response (`callback`) */
  forTokens(
    as: ServerMetadata,
    response: Response,
    callback?: URLSearchParams,
  ): Promise<ServerMetadata>
  /** {@link callbackIssuer}: what the `iss` of the authorization response (`callback`) must be */
  iss(issuer: string, callback: URLSearchParams): string
  /** {@link mapOAuthError}; other errors pass through. */
  mapError<E extends Error>(err: E, during: ProviderError['during']): E | OAuthError
  /** {@link logoutUrl} */
  logoutUrl(
    as: ServerMetadata,
    input: Omit<LogoutInput, 'endSessionEndpoint' | 'issuer'>,
  ): URL | undefined
}

/** What {@link ProviderHooks.configure} reads and sets of the app's options. */
interface ConfigurableOptions {
  issuer: string
  scope?: string
  extraParams?: Record<string, string>
  extraTokenParams?: Record<string, string>
}

/** The hooks of an adapter made by {@link defineProvider} (or a preset); undefined otherwise. */
export const hooksOf = (adapter: unknown): ProviderHooks | undefined =>
  (adapter as { [HOOKS]?: ProviderHooks } | undefined)?.[HOOKS]

// ---------------------------------------------------------------------------------------------
// Helpers the core calls (see the list at the top)
// ---------------------------------------------------------------------------------------------

/** The configured issuer as the adapter normalizes it; the origin never changes. */
export function normalizeIssuer(issuer: string, adapter?: ProviderAdapter): string {
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
export function expectedIssuer(issuer: string, adapter?: ProviderAdapter): string {
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
export function applyMetadata(
  as: ServerMetadata,
  adapter: ProviderAdapter | undefined,
  ctx: AdapterContext,
): ServerMetadata {
  if (!adapter?.metadata) return as
  const patch = adapter.metadata(Object.freeze({ ...as }), ctx) ?? {}
  const next: { -readonly [K in keyof ServerMetadata]: ServerMetadata[K] } = {
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
  ] as const) {
    const server = as[key]
    const wanted = next[key]
    next[key] = Array.isArray(wanted)
      ? wanted.filter((alg) => alg !== 'none' && (!server || server.includes(alg)))
      : server
  }
  for (const [key, value] of Object.entries(next)) {
    // null: the server has no such endpoint (`"revocation_endpoint": null`), like undefined
    if ((key.endsWith('_endpoint') || key === 'jwks_uri') && value != null) {
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
export function defaultScope(
  as: Pick<ServerMetadata, 'scopes_supported'>,
  adapter?: Pick<ProviderAdapter, 'scope'>,
): string {
  const listed = as.scopes_supported
  return (
    adapter?.scope ??
    DEFAULT_SCOPE.split(' ')
      .filter((s) => !Array.isArray(listed) || !listed.length || listed.includes(s))
      .join(' ')
  )
}

/** The adapter's authorization request parameters (never a protocol one). */
export const authorizationParams = (adapter?: ProviderAdapter): Record<string, string> =>
  adapter
    ? checkParams(
        adapter.authorizationParams,
        RESERVED_AUTHORIZATION,
        'authorization',
        adapter.name,
      )
    : {}

/** The adapter's token request parameters (never a protocol one). */
export const tokenParams = (adapter?: ProviderAdapter): Record<string, string> =>
  adapter ? checkParams(adapter.tokenParams, RESERVED_TOKEN, 'token', adapter.name) : {}

const decodePayload = (jwt: string): Record<string, unknown> | undefined => {
  const part = jwt.split('.')[1]
  if (!part) return undefined
  try {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/')
    const bytes = Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) =>
      c.charCodeAt(0),
    )
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes))
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

const badIssuer = (message: string) =>
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
export function resolveIssuer(
  as: Pick<ServerMetadata, 'issuer'>,
  idToken: string | undefined,
  adapter?: ProviderAdapter,
): string {
  const t = templateOf(as.issuer, adapter)
  return t && idToken !== undefined
    ? fill(as.issuer, t, decodePayload(idToken)?.[t.claim], `The ID token's "${t.claim}"`)
    : as.issuer
}

/**
 * The issuer an authorization response's `iss` (RFC 9207) is compared with: for a template, the
 * template filled with the tenant `iss` names in the placeholder's place, checked like an ID
 * token's tenant (a tenant id, one of `allowedTenants`), so `iss` can differ from the template in
 * that one segment only; the ID token must then be of that tenant ({@link serverForTokenResponse}).
 * Anything else: `as.issuer` unchanged, which oauth4webapi then compares with `iss` exactly.
 */
export function callbackIssuer(
  as: Pick<ServerMetadata, 'issuer'>,
  iss: string | null,
  adapter?: ProviderAdapter,
): string {
  const t = templateOf(as.issuer, adapter)
  if (!t || !iss) return as.issuer
  const [before, after] = as.issuer.split(t.placeholder) as [string, string]
  return iss.startsWith(before) && iss.endsWith(after)
    ? fill(
        as.issuer,
        t,
        iss.slice(before.length, iss.length - after.length),
        `The tenant in the login response's iss "${iss}"`,
      )
    : as.issuer
}

/** The template a server's issuer is (checked well-formed), or undefined for a plain issuer. */
function templateOf(template: string, adapter?: ProviderAdapter): IssuerTemplate | undefined {
  const t = adapter?.issuerTemplate
  if (!template.includes('{') && !template.includes('}')) return undefined
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
  return t
}

/** `template` with `tenant` in the placeholder's place, once `tenant` (from `what`) is checked. */
function fill(template: string, t: IssuerTemplate, tenant: unknown, what: string): string {
  if (typeof tenant !== 'string' || !TENANT_ID.test(tenant)) {
    throw badIssuer(`${what} is not a tenant id.`)
  }
  if (t.allowedTenants && !t.allowedTenants.includes(tenant)) {
    throw badIssuer(`The login is from tenant ${tenant}, which this app does not accept.`)
  }
  return template.replace(t.placeholder, tenant)
}

/**
 * The metadata to validate a token response with: `as`, or for an issuer template `as` with the
 * concrete issuer of this response's ID token (see {@link resolveIssuer}), which must be the
 * `iss` of the authorization response when it had one (the same tenant). Reads a clone of the
 * response; the original stays unread for oauth4webapi.
 */
export async function serverForTokenResponse(
  as: ServerMetadata,
  response: Response,
  adapter?: ProviderAdapter,
  iss?: string | null,
): Promise<ServerMetadata> {
  if (!adapter?.issuerTemplate || !as.issuer.includes(adapter.issuerTemplate.placeholder)) {
    // a plain issuer comes back unchanged; a template without its adapter is refused here
    resolveIssuer(as, undefined, adapter)
    return as
  }
  let idToken: unknown
  try {
    idToken = ((await response.clone().json()) as { id_token?: unknown })?.id_token
  } catch {
    return as // not JSON: oauth4webapi reports it
  }
  const issuer = resolveIssuer(as, typeof idToken === 'string' ? idToken : undefined, adapter)
  if (iss && typeof idToken === 'string' && issuer !== iss) {
    throw badIssuer(`The ID token is from ${issuer}, the login response from ${iss}.`)
  }
  return { ...as, issuer }
}

/** An `OAuthError` as the adapter says the server meant it (same class: always an error). */
export function mapOAuthError(
  adapter: ProviderAdapter | undefined,
  err: OAuthError,
  during: ProviderError['during'],
): OAuthError {
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
export function rpInitiatedLogoutUrl(input: LogoutInput): URL | undefined {
  if (!input.endSessionEndpoint) return undefined
  const url = new URL(input.endSessionEndpoint)
  url.searchParams.set('client_id', input.clientId)
  if (input.idToken) url.searchParams.set('id_token_hint', input.idToken)
  url.searchParams.set('post_logout_redirect_uri', input.postLogoutRedirectUri)
  if (input.state) url.searchParams.set('state', input.state)
  return url
}

/** The logout URL for this server (adapter's, else RP-initiated logout), https only. */
export function logoutUrl(
  as: ServerMetadata,
  adapter: ProviderAdapter | undefined,
  input: Omit<LogoutInput, 'endSessionEndpoint' | 'issuer'>,
): URL | undefined {
  const full: LogoutInput = {
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

const withoutTrailingSlash = (issuer: string) => issuer.replace(/\/+$/, '')

/**
 * Amazon Cognito user pools. `domain` is the hosted-UI / managed-login base URL
 * (`https://PREFIX.auth.REGION.amazoncognito.com` or your custom domain).
 * - logout at `DOMAIN/logout?client_id=…&logout_uri=…` (Cognito ignores `post_logout_redirect_uri`
 *   and `id_token_hint`, and shows an error page without `client_id`);
 * - revocation at `DOMAIN/oauth2/revoke` when the metadata lists none;
 * - default scope `openid email profile` (Cognito refuses `offline_access` and issues refresh
 *   tokens without it); its `invalid_request` + `invalid_scope` answer is read as `invalid_scope`.
 */
export function cognito(options: { domain: string }): ProviderAdapter {
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
  return defineProvider({
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
  })
}

/**
 * Auth0. The issuer works with or without its trailing slash; `audience` (your API's identifier)
 * goes on the authorization request; logout uses `end_session_endpoint` when the tenant lists it,
 * else `/v2/logout?client_id=…&returnTo=…`; a refresh answered `403 invalid_grant` ends the session
 * like a `400`.
 */
export function auth0(options: { audience?: string } = {}): ProviderAdapter {
  const audience = options?.audience
  if (audience !== undefined && (typeof audience !== 'string' || !audience)) {
    throw new ConfigurationError('auth0({ audience }) takes your API identifier as a string.')
  }
  return defineProvider({
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
  })
}

/** @see https://learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code (expected errors) */
const ENTRA_DEVICE_ERRORS: Record<string, string> = {
  authorization_declined: 'access_denied',
  bad_verification_code: 'expired_token',
}

/**
 * Microsoft Entra ID (v2.0 endpoints). Accepts the multi-tenant `{tenantid}` issuer template of
 * `/common/v2.0` and `/organizations/v2.0` by checking each ID token's `iss` against the template
 * with the token's own `tid` filled in (optionally limited to `tenants`); default scope
 * `openid profile email offline_access` (refresh tokens need `offline_access`); Entra has no
 * revocation endpoint, so logout ends the local session and then signs out at the
 * `end_session_endpoint`. A device login declined on the phone (`authorization_declined`) ends
 * as `access_denied`, a device code Entra does not know (`bad_verification_code`) as
 * `expired_token`.
 */
export function entra(options: { tenants?: readonly string[] } = {}): ProviderAdapter {
  const tenants = options?.tenants
  if (
    tenants !== undefined &&
    (!Array.isArray(tenants) || !tenants.every((t) => TENANT_ID.test(t)))
  ) {
    throw new ConfigurationError('entra({ tenants }) takes tenant ids: lowercase GUIDs.')
  }
  return defineProvider({
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
    // Its device flow's own words for RFC 8628's: the person declined; the code is unknown
    // (expired and forgotten, or never issued): start again.
    mapError: (e) => {
      const error = e.during === 'device' && ENTRA_DEVICE_ERRORS[e.error]
      return error ? { ...e, error } : e
    },
  })
}

/**
 * Keycloak. Realm issuers (`…/realms/NAME`, trailing slash removed); RP-initiated logout always
 * with `client_id` and, when there is one, `id_token_hint` (Keycloak then logs out without asking);
 * default scope `openid profile email` (Keycloak issues refresh tokens without `offline_access`,
 * which would ask for an offline token that outlives the SSO session). `session_state` in the
 * callback needs nothing.
 */
export function keycloak(): ProviderAdapter {
  return defineProvider({
    name: 'keycloak',
    normalizeIssuer: withoutTrailingSlash,
    scope: 'openid profile email',
  })
}

/**
 * Okta (custom authorization servers `…/oauth2/default`, or the org server). The logout endpoint
 * requires `id_token_hint`: without an ID token the logout stays local instead of landing on
 * Okta's error page. Default scope `openid profile email offline_access`.
 */
export function okta(): ProviderAdapter {
  return defineProvider({
    name: 'okta',
    normalizeIssuer: withoutTrailingSlash,
    scope: DEFAULT_SCOPE,
    logoutUrl: (input) => (input.idToken ? rpInitiatedLogoutUrl(input) : undefined),
  })
}
