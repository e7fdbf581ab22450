import type { TokenStore } from './storage.js'
import type { DPoPLoader } from './dpop.js'
import { ConfigurationError } from './errors.js'

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
  allowedOrigins?: ReadonlyArray<string | { url: string; resource?: string; scope?: string }>
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
  > & {
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

type Check = (v: unknown) => boolean
const str: Check = (v) => typeof v === 'string'
const fn: Check = (v) => typeof v === 'function'
const bool: Check = (v) => typeof v === 'boolean'
const num: Check = (v) => typeof v === 'number' && v >= 0 && Number.isFinite(v)
const params: Check = (v) =>
  !!v && typeof v === 'object' && Object.values(v).every((x) => typeof x === 'string')
const STORE_METHODS = ['get', 'set', 'del', 'keys', 'update'] as const

/** Each option's check and, in words, what to pass: a wrong option fails at creation, not at login. */
const OPTIONS: Record<string, [Check, string]> = {
  issuer: [str, 'an https URL'],
  clientId: [str, 'a string'],
  redirectUri: [str, 'an https URL'],
  scope: [str, 'space-separated scopes in one string'],
  resource: [str, 'the API identifier, a URL string'],
  audience: [str, 'a string'],
  extraParams: [params, 'an object of string values'],
  extraTokenParams: [params, 'an object of string values'],
  postLogoutRedirectUri: [str, 'an https URL'],
  silentRedirectUri: [str, 'an https URL'],
  storage: [
    (v) =>
      v === 'indexeddb' ||
      v === 'memory' ||
      (!!v && STORE_METHODS.every((m) => fn((v as Record<string, unknown>)[m]))),
    `'indexeddb', 'memory' or a TokenStore with ${STORE_METHODS.join(', ')} (update must be an atomic read-modify-write)`,
  ],
  leeway: [num, 'seconds, a number ≥ 0'],
  autoRefresh: [bool, 'true or false'],
  fetchUserInfo: [bool, 'true or false'],
  dpop: [fn, "the exported dpop function: import { dpop } from '@oauth-spa/core'"],
  allowedOrigins: [
    (v) =>
      Array.isArray(v) &&
      v.every((o) => str(o) || (!!o && str(o.url) && [o.resource, o.scope].every((x) => x === undefined || str(x)))),
    "an array: ['https://api.example.com', { url, resource?, scope? }]",
  ],
  timeout: [(v) => num(v) && (v as number) > 0, 'milliseconds, a number > 0'],
  clockTolerance: [num, 'seconds, a number ≥ 0'],
  discoveryTtl: [num, 'seconds, a number ≥ 0'],
  now: [fn, 'a function returning ms'],
  fetch: [fn, 'a fetch function'],
  setTimeout: [fn, 'a function'],
  clearTimeout: [fn, 'a function'],
  navigate: [fn, 'a function taking a URL'],
}

export function resolveConfig(options: AuthClientOptions): Config {
  if (!options || typeof options !== 'object')
    throw new ConfigurationError('createAuthClient needs an options object: { issuer, clientId, redirectUri }.')
  if ('clientSecret' in options) {
    throw new ConfigurationError(
      'No clientSecret in a browser: register a public client (token_endpoint_auth_method "none"); PKCE protects it.',
    )
  }
  // `{ scope: undefined }` (props passed through by a wrapper) keeps the default.
  const given = Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== undefined),
  ) as AuthClientOptions
  for (const name of ['issuer', 'clientId', 'redirectUri'] as const)
    if (!given[name]) throw new ConfigurationError(`createAuthClient needs \`${name}\`.`)
  for (const [name, value] of Object.entries(given)) {
    // Options this version does not know are left alone (TypeScript flags misspellings).
    const rule = Object.hasOwn(OPTIONS, name) && OPTIONS[name]
    if (rule && !rule[0](value))
      throw new ConfigurationError(`Option \`${name}\` must be ${rule[1]}; got ${typeof value}.`)
  }
  const { issuer, redirectUri } = given
  const insecure = checkSecureUrl(issuer, 'issuer').protocol === 'http:'
  checkSecureUrl(redirectUri, 'redirectUri')
  for (const name of ['postLogoutRedirectUri', 'silentRedirectUri'] as const)
    if (given[name]) checkSecureUrl(given[name], name)
  for (const o of given.allowedOrigins ?? [])
    checkSecureUrl(typeof o === 'string' ? o : o.url, 'allowedOrigins')
  return {
    scope: 'openid profile email offline_access',
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
    ns: `${issuer}|${given.clientId}`,
    insecure,
  }
}
