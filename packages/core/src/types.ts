import type { AuthError } from './errors.js'
import type { User } from './session.js'
import type { AccessTokenResult, WatchAccessTokenOptions } from './watch.js'

export type StorageInfo = { type: 'indexeddb' | 'memory' | 'custom'; fallbackReason?: string }

interface BaseState {
  error: AuthError | null
  storage: StorageInfo
}
/** One immutable snapshot; `status` decides which fields are set. */
export type AuthState =
  | (BaseState & { status: 'loading'; user: null; expiresAt: null })
  | (BaseState & { status: 'unauthenticated'; user: null; expiresAt: null })
  | (BaseState & {
      status: 'authenticated'
      user: User
      /** When the default access token expires (ms, local clock); it is refreshed before. */
      expiresAt: number
    })

export interface AuthEvents {
  loggedIn: { user: User }
  tokenRefreshed: { resource: string; expiresAt: number }
  sessionEnded: {
    reason: 'logout' | 'expired' | 'other_tab' | 'invalid_session' | 'idle'
    error?: AuthError
  }
  error: { error: AuthError }
  storageFallback: { reason: string }
  /** `idleTimeout` is near: no input in any tab for a while. Any input cancels (`idle-reset`). */
  'idle-warning': { remaining: number }
  /** Input after an `idle-warning`: the countdown starts again. */
  'idle-reset': Record<string, never>
}

export interface LoginOptions {
  /** Same-origin path to come back to. Default: the current path. */
  returnTo?: string
  /** More scopes than the configured ones. */
  scope?: string
  resource?: string
  prompt?: string
  loginHint?: string
  /** Seconds; the ID token's `auth_time` is then checked. */
  maxAge?: number
  extraParams?: Record<string, string>
  /**
   * Log in in a popup instead of redirecting; `login()` then resolves once logged in. The login
   * then lives in this page's memory only, so use it with `storage: 'memory'`. Default: only when
   * IndexedDB failed and the client fell back to memory. Call `login()` straight from a click
   * handler so that the browser allows the popup.
   */
  popup?: boolean
}

export interface GetAccessTokenOptions {
  /** API the token is for (RFC 8707). Default: the client's `resource`. */
  resource?: string
  /** Scopes the token must carry; missing ones are asked for through refresh. */
  scope?: string
  /** Skip the cache (e.g. the API said `invalid_token`). Still one refresh across tabs. */
  forceRefresh?: boolean
}

export interface LogoutOptions {
  /**
   * Where to land after RP-initiated logout: a path of this app, or the registered
   * `postLogoutRedirectUri` itself. Anything else lands on this origin's `/`.
   */
  returnTo?: string
  /** Clear this app's session everywhere but do not visit the server's end-session page. */
  localOnly?: boolean
}

export interface DeviceLoginOptions {
  /** More scopes than the configured ones. */
  scope?: string
}

/**
 * A device login under way (RFC 8628): show `userCode` and `verificationUri` (or a QR code of
 * `verificationUriComplete`) and wait for `result`. The device code itself stays in memory.
 */
export interface DeviceLogin {
  /** The code the person types on their phone or computer. Show it as text. */
  userCode: string
  /** Where to type it (an https URL of the authorization server). */
  verificationUri: string
  /** The same page with the code filled in: the QR code's content. Not every server sends one. */
  verificationUriComplete?: string
  /** When the code runs out (ms, local clock). */
  expiresAt: number
  /**
   * Resolves once the person approved and the session is stored (as after `login()`: refreshed,
   * shared across tabs, `loggedIn` event). Rejects with a `DeviceLoginError` whose `code` is
   * `access_denied`, `expired_token` or `aborted`, or with another `AuthError` (network, server).
   */
  result: Promise<void>
  /** Stops polling; `result` rejects with `code: 'aborted'`. */
  cancel(): void
}

export interface AuthClient {
  /** Resolves once the stored session has been read (no network). */
  readonly ready: Promise<void>
  getState(): AuthState
  /** Calls `listener` after every state change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void
  on<E extends keyof AuthEvents>(event: E, listener: (payload: AuthEvents[E]) => void): () => void
  /**
   * Redirects to the authorization server (Authorization Code + PKCE S256, state, nonce), or
   * with `popup` logs in in a popup and resolves with `{ returnTo }` when done.
   */
  login(options?: LoginOptions): Promise<{ returnTo: string } | void>
  /**
   * Device authorization grant (RFC 8628), for screens without a keyboard: resolves once the
   * server gave a code to show; `result` settles when the person approved or denied it on
   * another device. Loaded on demand.
   */
  deviceLogin(options?: DeviceLoginOptions): Promise<DeviceLogin>
  /** True when `url` (default: the current one) is an authorization response. */
  isCallback(url?: string): boolean
  /**
   * On the redirect URI: validates the response, exchanges the code, cleans the URL, and
   * resolves with the same-origin `returnTo` path. It does not navigate.
   */
  handleRedirectCallback(url?: string): Promise<{ returnTo: string }>
  /** A valid access token, refreshed when needed. Throws `LoginRequiredError` when logged out. */
  getAccessToken(options?: GetAccessTokenOptions): Promise<string>
  /**
   * Observes an access token: `listener` gets `{ token, error, status }` at once, then whenever it
   * changes — after login, refresh and logout, and when the token it holds goes stale. The React
   * and Vue `useAccessToken` hooks wrap it. Returns the function that stops it.
   */
  watchAccessToken(
    options: WatchAccessTokenOptions,
    listener: (result: AccessTokenResult) => void,
  ): () => void
  /** `fetch` that adds the token for `allowedOrigins` only. See {@link createAuthFetch}. */
  fetch: typeof fetch
  /** Revokes tokens, clears the session in every tab, then RP-initiated logout. */
  logout(options?: LogoutOptions): Promise<void>
  /** Stops timers and listeners. The stored session stays. */
  destroy(): void
}
