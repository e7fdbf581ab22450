import type { TokenStore } from './storage.js'
import type { DPoPLoader } from './dpop.js'
import type { IdTokenVerifier } from './signature.js'
import { ConfigurationError } from './errors.js'
import {
  hooksOf,
  type ProviderAdapter,
  type ProviderHooks,
  type ServerMetadata,
} from './providers.js'

/** Options of {@link createAuthClient}. Only `issuer`, `clientId` and `redirectUri` are required. */
export interface AuthClientOptions {
  /** The authorization server's issuer identifier, e.g. `https://login.example.com/realms/app`. */
  issuer: string
  /** The public client's id. A browser app has no client secret. */
  clientId: string
  /** Where the authorization server sends the user back; must be registered with it. */
  redirectUri: string
  /**
   * Space-separated scopes, sent as given. Default: the provider adapter's, else those of
   * `openid profile email offline_access` that the server's `scopes_supported` lists (all four when
   * it lists none).
   */
  scope?: string
  /** Default API (RFC 8707 resource indicator) tokens are requested for. */
  resource?: string
  /** Provider-specific `audience` (Auth0 and others). */
  audience?: string
  /**
   * The server's quirks: `cognito({ domain })`, `auth0({ audience })`, `entra()`, `keycloak()`,
   * `okta()`, or your own made with `defineProvider`.
   */
  provider?: ProviderAdapter
  /**
   * Server metadata that fills or overrides the discovered document (e.g. a `revocation_endpoint`
   * it does not list). With `issuer`, `authorization_endpoint` and `token_endpoint` there is no
   * discovery at all: for servers whose discovery document is missing or unusable.
   */
  metadata?: Partial<ServerMetadata>
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
  allowedOrigins?: ReadonlyArray<string | { url: string; resource?: string; scope?: string }>
  /**
   * Seconds without input (pointer, keyboard, wheel, touch, scroll) in any tab after which the
   * session ends everywhere, as a local logout with revocation. Off by default.
   */
  idleTimeout?: number
  /** Seconds before `idleTimeout` at which `idle-warning` is emitted. Default: a quarter, at most 60. */
  idleWarning?: number
  /**
   * Push the authorization parameters first (PAR, RFC 9126) and send the browser with
   * `client_id` and `request_uri` only. Default: only when the server's metadata says
   * `require_pushed_authorization_requests`.
   */
  par?: boolean
  /** Seconds a login popup may take before `login()` gives up (`TimeoutError`). Default 300. */
  popupTimeout?: number
  /**
   * Check each ID token's signature against the server's JWKS (`jwks_uri`): pass the exported
   * `verifyIdTokenSignature`. Off by default: an ID token straight from the token endpoint over TLS
   * may go unchecked (OpenID Connect Core §3.1.3.7); its claims always are.
   */
  verifyIdTokenSignature?: IdTokenVerifier
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
    | 'scope'
    | 'resource'
    | 'audience'
    | 'metadata'
    | 'postLogoutRedirectUri'
    | 'silentRedirectUri'
    | 'storage'
    | 'allowedOrigins'
    | 'fetch'
    | 'dpop'
    | 'idleTimeout'
    | 'idleWarning'
    | 'par'
    | 'verifyIdTokenSignature'
    | 'popupTimeout'
  > & {
    /** The provider adapter's hooks (see providers.ts). */
    provider?: ProviderHooks
    /** Namespace of everything stored: issuer + client id. */
    ns: string
    insecure: boolean
  }

export const isLoopback = (url: URL): boolean =>
  url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]'

/** https everywhere, http only for loopback (development). */
export function checkSecureUrl(value: string, name: string): URL {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    // reported below
  }
  if (url?.protocol !== 'https:' && !(url?.protocol === 'http:' && isLoopback(url))) {
    throw new ConfigurationError(
      `${name} must be an https URL (http only on localhost): "${value}".`,
    )
  }
  return url
}

/** What each option takes: a wrong option fails at creation, naming it, not at login. */
const KINDS: [string[], string, (v: unknown) => boolean][] = [
  [
    'issuer clientId redirectUri scope resource audience postLogoutRedirectUri silentRedirectUri'.split(
      ' ',
    ),
    'a string',
    (v) => typeof v === 'string',
  ],
  [
    'leeway clockTolerance discoveryTtl idleTimeout idleWarning'.split(' '),
    'a number ≥ 0',
    (v) => typeof v === 'number' && v >= 0 && v < Infinity,
  ],
  // 0 would time out every request, or popup, at once.
  [
    ['timeout', 'popupTimeout'],
    'a number > 0',
    (v) => typeof v === 'number' && v > 0 && v < Infinity,
  ],
  ['autoRefresh fetchUserInfo par'.split(' '), 'true or false', (v) => typeof v === 'boolean'],
  [
    'dpop verifyIdTokenSignature now fetch setTimeout clearTimeout navigate'.split(' '),
    "a function (the exported one: import { dpop, verifyIdTokenSignature } from '@oauth-spa/core')",
    (v) => typeof v === 'function',
  ],
  [
    ['extraParams', 'extraTokenParams'],
    'an object of strings',
    (v) => !!v && Object.values(v).every((x) => typeof x === 'string'),
  ],
  [
    ['storage'],
    "'indexeddb', 'memory' or a TokenStore (get, set, del, keys, update)",
    (v) =>
      v === 'indexeddb' ||
      v === 'memory' ||
      ['get', 'set', 'del', 'keys', 'update'].every(
        (m) => typeof (v as Record<string, unknown>)?.[m] === 'function',
      ),
  ],
  [
    ['provider'],
    'made by a preset or defineProvider()',
    (v) => !!hooksOf(v), // an arrow: providers.ts imports this module too
  ],
  [['metadata'], 'an object', (v) => !!v && typeof v === 'object'],
  [
    ['allowedOrigins'],
    "an array: ['https://api.example.com', { url, resource?, scope? }]",
    Array.isArray,
  ],
]

export function resolveConfig(options: AuthClientOptions): Config {
  if (!options || typeof options !== 'object')
    throw new ConfigurationError(
      'createAuthClient needs an options object: { issuer, clientId, redirectUri }.',
    )
  if ('clientSecret' in options) {
    throw new ConfigurationError(
      'No clientSecret in a browser: register a public client (token_endpoint_auth_method "none"); PKCE protects it.',
    )
  }
  // `{ scope: undefined }` (props passed through by a wrapper) keeps the default.
  let given = Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== undefined),
  ) as AuthClientOptions
  for (const name of ['issuer', 'clientId', 'redirectUri'] as const)
    if (!given[name]) throw new ConfigurationError(`createAuthClient needs \`${name}\`.`)
  for (const [names, what, ok] of KINDS)
    for (const name of names)
      if (name in given && !ok(given[name as keyof AuthClientOptions]))
        throw new ConfigurationError(`Option \`${name}\` must be ${what}.`)
  // The adapter's issuer normalization, default scope and parameters (below the app's own).
  const provider = hooksOf(given.provider)
  if (provider) given = provider.configure(given)
  const { issuer, redirectUri } = given
  const insecure = checkSecureUrl(issuer, 'issuer').protocol === 'http:'
  checkSecureUrl(redirectUri, 'redirectUri')
  for (const name of ['postLogoutRedirectUri', 'silentRedirectUri'] as const)
    if (given[name]) checkSecureUrl(given[name], name)
  for (const o of given.allowedOrigins ?? [])
    checkSecureUrl(typeof o === 'string' ? o : o?.url, 'allowedOrigins')
  return {
    leeway: 60,
    autoRefresh: true,
    fetchUserInfo: false,
    timeout: 10_000,
    clockTolerance: 300,
    discoveryTtl: 3600,
    now: Date.now,
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (id) => globalThis.clearTimeout(id as number),
    navigate: (url) => location.assign(url),
    extraParams: {},
    extraTokenParams: {},
    ...given,
    provider,
    ns: `${issuer}|${given.clientId}`,
    insecure,
  }
}
