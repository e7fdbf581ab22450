/**
 * Provider adapters: what Auth0, Amazon Cognito, Microsoft Entra ID, Keycloak and Okta need beyond
 * the specs, behind one public interface a user can implement for any other server. An adapter is
 * data plus a few pure functions; it can add and reshape, never switch a check off: issuer, state,
 * nonce, PKCE and token binding stay with the core and oauth4webapi, and the helpers below (which
 * the core calls instead of the adapter's hooks) re-impose them whatever an adapter returns.
 *
 * HOOKS THE CORE MUST CALL (`adapter` = the `provider` option; every helper accepts `undefined`):
 *  1. createAuthClient / resolveConfig, before anything uses the issuer (storage namespace included):
 *     `issuer = normalizeIssuer(options.issuer, adapter)`.
 *  2. discover(): fetch with `discoveryRequest(new URL(issuer))`, validate with
 *     `processDiscoveryResponse(new URL(expectedIssuer(issuer, adapter)), response)`, and compare a
 *     cached document's `issuer` with `expectedIssuer(…)` too. Then, on the fresh and on the cached
 *     document alike (cache the server's document, not the adapted one):
 *     `as = applyMetadata(as, adapter, { issuer, clientId })` — before `withoutNone`, before any use.
 *  3. Scope: when the app set no `scope`, `defaultScope(as, adapter)` (so resolveConfig must leave
 *     `scope` undefined rather than fill in the default); an explicit scope is sent as given.
 *  4. authorizationUrl(): start from `authorizationParams(adapter)`, then the app's `extraParams`,
 *     then the SDK's protocol parameters (as today: later ones win).
 *  5. Token requests (code exchange, refresh, silent-renewal exchange): `additionalParameters =
 *     { ...tokenParams(adapter), ...the app's }`. Before oauth4webapi processes the token response:
 *     `const asForTokens = await serverForTokenResponse(as, response, adapter)` and pass
 *     `asForTokens` to `processAuthorizationCodeResponse` / `processRefreshTokenResponse` (and to
 *     `processUserInfoResponse`). For every server but a multi-tenant template it is `as` itself.
 *  6. Errors: wherever an `OAuthError` from the server is classified (refresh failure decision,
 *     callback `error=`, code exchange, revocation), first
 *     `err = mapOAuthError(adapter, err, during)` (`'authorization' | 'token' | 'refresh' | 'revocation'`).
 *  7. logout(): revoke at `as.revocation_endpoint` (after step 2 it includes the adapter's); none →
 *     skip revocation, still end the local session. Then
 *     `const url = logoutUrl(as, adapter, { clientId, idToken, postLogoutRedirectUri, state })` and
 *     navigate to it when defined (undefined: no RP-initiated logout for this server/session).
 *
 * Tree-shaking: each factory is a separate export and nothing here runs at import.
 */
import type * as oauth from 'oauth4webapi'
import { OAuthError } from './errors.js'
/** Authorization server metadata (RFC 8414 / OpenID Connect Discovery), as oauth4webapi types it. */
export type ServerMetadata = oauth.AuthorizationServer
/** What an adapter may know about the app when it shapes metadata. */
export interface AdapterContext {
  /** The issuer after {@link normalizeIssuer}. */
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
  /** Which request failed. */
  readonly during: 'authorization' | 'token' | 'refresh' | 'revocation'
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
 * through metadata or parameters (see {@link applyMetadata}, {@link authorizationParams}).
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
export declare const DEFAULT_SCOPE = 'openid profile email offline_access'
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
export declare function defineProvider<A extends ProviderAdapter>(adapter: A): A
/** The configured issuer as the adapter normalizes it; the origin never changes. */
export declare function normalizeIssuer(issuer: string, adapter?: ProviderAdapter): string
/**
 * The issuer the server's metadata must name: the configured one, or for a multi-tenant issuer
 * (`…/common/v2.0`) the adapter's template (`…/{tenantid}/v2.0`). oauth4webapi still compares it
 * exactly (`processDiscoveryResponse`).
 */
export declare function expectedIssuer(issuer: string, adapter?: ProviderAdapter): string
/**
 * Metadata after the adapter's changes, with what protects the user put back: the `issuer`, the
 * PKCE methods and `require_pushed_authorization_requests`/`authorization_response_iss_parameter_supported`
 * as the server said (an adapter may only turn the last two on), signing algorithms narrowed at
 * most (never `none`), and every endpoint https (http only on loopback).
 */
export declare function applyMetadata(
  as: ServerMetadata,
  adapter: ProviderAdapter | undefined,
  ctx: AdapterContext,
): ServerMetadata
/**
 * The default scope when the app sets none: the adapter's, else those of
 * `openid profile email offline_access` that the metadata's `scopes_supported` lists (all four when
 * it lists none), so a server that refuses `offline_access` (Cognito, django-oauth-toolkit) still
 * logs in. An explicit app scope is not this function's business: send it as given.
 */
export declare function defaultScope(
  as: Pick<ServerMetadata, 'scopes_supported'>,
  adapter?: ProviderAdapter,
): string
/** The adapter's authorization request parameters (never a protocol one). */
export declare const authorizationParams: (adapter?: ProviderAdapter) => Record<string, string>
/** The adapter's token request parameters (never a protocol one). */
export declare const tokenParams: (adapter?: ProviderAdapter) => Record<string, string>
/**
 * The issuer an ID token must carry. For a server whose metadata names a template
 * (`https://login.microsoftonline.com/{tenantid}/v2.0`), the template with the tenant id from the
 * token's own claim (`tid`) filled in — read from the unverified payload only to build the
 * expected value, which oauth4webapi then compares with `iss` exactly. The tenant id must be a
 * lowercase GUID (and one of `allowedTenants` when set), so it cannot change the issuer's host or
 * path shape. Anything else: `as.issuer` unchanged.
 */
export declare function resolveIssuer(
  as: Pick<ServerMetadata, 'issuer'>,
  idToken: string | undefined,
  adapter?: ProviderAdapter,
): string
/**
 * The metadata to validate a token response with: `as`, or for an issuer template `as` with the
 * concrete issuer of this response's ID token (see {@link resolveIssuer}). Reads a clone of the
 * response; the original stays unread for oauth4webapi.
 */
export declare function serverForTokenResponse(
  as: ServerMetadata,
  response: Response,
  adapter?: ProviderAdapter,
): Promise<ServerMetadata>
/** An `OAuthError` as the adapter says the server meant it (same class: always an error). */
export declare function mapOAuthError(
  adapter: ProviderAdapter | undefined,
  err: OAuthError,
  during: ProviderError['during'],
): OAuthError
/**
 * OpenID Connect RP-Initiated Logout 1.0: `end_session_endpoint` with `client_id`,
 * `id_token_hint` (when there is an ID token), `post_logout_redirect_uri` and `state`. Undefined
 * when the metadata lists no end-session endpoint.
 */
export declare function rpInitiatedLogoutUrl(input: LogoutInput): URL | undefined
/** The logout URL for this server (adapter's, else RP-initiated logout), https only. */
export declare function logoutUrl(
  as: ServerMetadata,
  adapter: ProviderAdapter | undefined,
  input: Omit<LogoutInput, 'endSessionEndpoint' | 'issuer'>,
): URL | undefined
/**
 * Amazon Cognito user pools. `domain` is the hosted-UI / managed-login base URL
 * (`https://PREFIX.auth.REGION.amazoncognito.com` or your custom domain).
 * - logout at `DOMAIN/logout?client_id=…&logout_uri=…` (Cognito ignores `post_logout_redirect_uri`
 *   and `id_token_hint`, and shows an error page without `client_id`);
 * - revocation at `DOMAIN/oauth2/revoke` when the metadata lists none;
 * - default scope `openid email profile` (Cognito refuses `offline_access` and issues refresh
 *   tokens without it); its `invalid_request` + `invalid_scope` answer is read as `invalid_scope`.
 */
export declare function cognito(options: { domain: string }): ProviderAdapter
/**
 * Auth0. The issuer works with or without its trailing slash; `audience` (your API's identifier)
 * goes on the authorization request; logout uses `end_session_endpoint` when the tenant lists it,
 * else `/v2/logout?client_id=…&returnTo=…`; a refresh answered `403 invalid_grant` ends the session
 * like a `400`.
 */
export declare function auth0(options?: { audience?: string }): ProviderAdapter
/**
 * Microsoft Entra ID (v2.0 endpoints). Accepts the multi-tenant `{tenantid}` issuer template of
 * `/common/v2.0` and `/organizations/v2.0` by checking each ID token's `iss` against the template
 * with the token's own `tid` filled in (optionally limited to `tenants`); default scope
 * `openid profile email offline_access` (refresh tokens need `offline_access`); Entra has no
 * revocation endpoint, so logout ends the local session and then signs out at the
 * `end_session_endpoint`.
 */
export declare function entra(options?: { tenants?: readonly string[] }): ProviderAdapter
/**
 * Keycloak. Realm issuers (`…/realms/NAME`, trailing slash removed); RP-initiated logout always
 * with `client_id` and, when there is one, `id_token_hint` (Keycloak then logs out without asking);
 * default scope `openid profile email` (Keycloak issues refresh tokens without `offline_access`,
 * which would ask for an offline token that outlives the SSO session). `session_state` in the
 * callback needs nothing.
 */
export declare function keycloak(): ProviderAdapter
/**
 * Okta (custom authorization servers `…/oauth2/default`, or the org server). The logout endpoint
 * requires `id_token_hint`: without an ID token the logout stays local instead of landing on
 * Okta's error page. Default scope `openid profile email offline_access`.
 */
export declare function okta(): ProviderAdapter
