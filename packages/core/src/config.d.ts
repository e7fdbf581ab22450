import type { TokenStore } from './storage.js'
import type { DPoPLoader } from './dpop.js'
/** Options of {@link createAuthClient}. Only `issuer`, `clientId` and `redirectUri` are required. */
export interface AuthClientOptions {
  /** The authorization server's issuer identifier, e.g. `https://login.example.com/realms/app`. */
  issuer: string
  /** The public client's id. A browser app has no client secret. */
  clientId: string
  /** Where the authorization server sends the user back; must be registered with it. */
  redirectUri: string
  /** Space-separated scopes. Default `openid profile email offline_access`. */
  scope?: string
  /** Default API (RFC 8707 resource indicator) tokens are requested for. */
  resource?: string
  /** Provider-specific `audience` (Auth0 and others). */
  audience?: string
  /** Extra parameters for the authorization request (`prompt`, `ui_locales`, `acr_values`, ...). */
  extraParams?: Record<string, string>
  /** Extra parameters for token requests (code exchange and refresh). */
  extraTokenParams?: Record<string, string>
  /** Where the user lands after RP-initiated logout; must be registered. Default: the app origin + `/`. */
  postLogoutRedirectUri?: string
  /** Redirect URI for silent (iframe, `prompt=none`) renewal when there is no refresh token. */
  silentRedirectUri?: string
  /**
   * `'indexeddb'` (default), `'memory'`, or your own {@link TokenStore}. With `'memory'` nothing
   * survives a reload or the redirect to the server: log in with `login({ popup: true })`.
   */
  storage?: 'indexeddb' | 'memory' | TokenStore
  /** Seconds before expiry at which a cached access token is no longer handed out. Default 60. */
  leeway?: number
  /** Refresh ahead of expiry on a timer while the page is visible. Default true. */
  autoRefresh?: boolean
  /** Fetch UserInfo after login and merge it into `user`. Default false (ID token claims only). */
  fetchUserInfo?: boolean
  /** Sender-constrain tokens with DPoP (RFC 9449): pass the exported `dpop`. Default: off. */
  dpop?: DPoPLoader
  /** Origins (`https://api.example.com`) or URL prefixes that `auth.fetch` may send tokens to. */
  allowedOrigins?: ReadonlyArray<
    | string
    | {
        url: string
        resource?: string
        scope?: string
      }
  >
  /**
   * Push the authorization parameters first (PAR, RFC 9126) and send the browser with
   * `client_id` and `request_uri` only. Default: only when the server's metadata says
   * `require_pushed_authorization_requests`.
   */
  par?: boolean
  /** Seconds a login popup may take before `login()` gives up (`TimeoutError`). Default 300. */
  popupTimeout?: number
  /** Per-request timeout in milliseconds. Default 10000. */
  timeout?: number
  /** Accepted clock difference with the server, in seconds, for ID token checks. Default 300. */
  clockTolerance?: number
  /** Seconds server metadata is cached. Default 3600. */
  discoveryTtl?: number
  /** Injected environment, for tests. */
  now?: () => number
  fetch?: typeof fetch
  setTimeout?: (fn: () => void, ms: number) => unknown
  clearTimeout?: (id: unknown) => void
  /** How to leave the page for the authorization server. Default `location.assign`. */
  navigate?: (url: string) => void
  /** Passing a secret to a browser app is refused: see `ConfigurationError`. */
  clientSecret?: never
}
export type Config = Required<
  Pick<
    AuthClientOptions,
    | 'issuer'
    | 'clientId'
    | 'redirectUri'
    | 'scope'
    | 'leeway'
    | 'autoRefresh'
    | 'fetchUserInfo'
    | 'timeout'
    | 'clockTolerance'
    | 'discoveryTtl'
    | 'now'
    | 'setTimeout'
    | 'clearTimeout'
    | 'navigate'
    | 'extraParams'
    | 'extraTokenParams'
  >
> &
  Pick<
    AuthClientOptions,
    | 'resource'
    | 'audience'
    | 'postLogoutRedirectUri'
    | 'silentRedirectUri'
    | 'storage'
    | 'allowedOrigins'
    | 'fetch'
    | 'dpop'
    | 'par'
    | 'popupTimeout'
  > & {
    /** Namespace of everything stored: issuer + client id. */
    ns: string
    insecure: boolean
  }
export declare const isLoopback: (url: URL) => boolean
/** https everywhere, http only for loopback (development). */
export declare function checkSecureUrl(value: string, name: string): URL
export declare function resolveConfig(options: AuthClientOptions): Config
