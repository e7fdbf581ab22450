import { AuthError } from './errors.js'
import type { AllowedOrigin } from './fetch.js'
import type { User } from './session.js'
import type {
  AuthClient,
  AuthEvents,
  DeviceLoginOptions,
  GetAccessTokenOptions,
  LoginOptions,
  LogoutOptions,
  StorageInfo,
} from './types.js'
/** Options of {@link createTestAuthClient}. */
export interface TestAuthClientInit {
  /** Start signed in as this user (`sub` defaults to `'test-user'`). Default: signed out. */
  user?: Partial<User>
  /** The access token when starting signed in. Default: `'test-token-1'`. */
  token?: string
  /** Seconds the starting token lives. Default: 3600. */
  expiresIn?: number
  /** Start in `status: 'loading'` (as a real client does until storage is read); `ready` waits. */
  loading?: boolean
  /** Where `fetch` adds the token, as the real client's `allowedOrigins`. Default: nowhere. */
  allowedOrigins?: readonly AllowedOrigin[]
  /** Where `fetch` sends requests. Default: the global `fetch`. */
  fetch?: typeof fetch
  /** Clock in ms. Default: `Date.now`. */
  now?: () => number
  /** Reported in `state.storage`. Default: `{ type: 'memory' }`. */
  storage?: StorageInfo
}
export interface SignInOptions {
  /** The default resource's access token. Default: a new `'test-token-<n>'`. */
  token?: string
  /** Seconds the token lives; `getAccessToken` "refreshes" it after that. Default: 3600. */
  expiresIn?: number
  /** Scopes the token carries; asking for others causes a refresh. Default: any scope. */
  scope?: string
}
/** Methods whose next call {@link TestAuthClient.failNext} can make fail. */
export type FailableMethod =
  'login' | 'logout' | 'handleRedirectCallback' | 'getAccessToken' | 'fetch' | 'deviceLogin'
/** Every call made to the client, with its arguments, oldest first. */
export interface TestAuthCalls {
  login: (LoginOptions | undefined)[]
  logout: (LogoutOptions | undefined)[]
  getAccessToken: (GetAccessTokenOptions | undefined)[]
  handleRedirectCallback: (string | undefined)[]
  deviceLogin: (DeviceLoginOptions | undefined)[]
  /** Each request as it was sent on (with the `Authorization` header when one was added). */
  fetch: Request[]
}
/** An {@link AuthClient} whose state the test decides. See {@link createTestAuthClient}. */
export interface TestAuthClient extends AuthClient {
  /** Ends up `authenticated` as `user`, as a completed login would (`loggedIn` event). */
  signIn(user?: Partial<User>, options?: SignInOptions): void
  /** Ends the session (`sessionEnded` with `reason`, default `'logout'`) without any call. */
  signOut(reason?: AuthEvents['sessionEnded']['reason'], error?: AuthError): void
  /** Replaces an access token as a refresh would (`tokenRefreshed` event). Needs a session. */
  setToken(
    token: string,
    options?: {
      expiresIn?: number
      resource?: string
    },
  ): void
  /** Back to `status: 'loading'`, e.g. to render what users see before storage was read. */
  setLoading(): void
  /**
   * The next refresh (a `forceRefresh`, an expired token, a missing scope or resource) fails
   * with `error`. A `LoginRequiredError` (the default: the server refused the grant) ends the
   * session like the real client (`sessionEnded` reason `'expired'`); any other error is
   * reported in `state.error` and keeps the session.
   */
  failNextRefresh(error?: AuthError): void
  /**
   * The next call of `method` rejects with `error`. `login`, `logout` and
   * `handleRedirectCallback` also report it in `state.error` and the `error` event, as the real
   * client does; a failed `logout` still ends the session locally.
   */
  failNext(method: FailableMethod, error?: AuthError): void
  /**
   * Plays the person approving the pending `deviceLogin()` on their phone: signs in as `user`
   * and resolves its `result`.
   */
  approveDeviceLogin(user?: Partial<User>): void
  /** Ends the pending `deviceLogin()`: `result` rejects with a `DeviceLoginError` of `code`. */
  denyDeviceLogin(code?: 'access_denied' | 'expired_token'): void
  readonly calls: TestAuthCalls
}
/**
 * A client for apps' unit tests: the full {@link AuthClient} interface without a server, a
 * browser redirect or storage. Its state is what the test sets (`signIn`, `signOut`, `setToken`,
 * `setLoading`, `failNextRefresh`, `failNext`); it emits the same events and immutable snapshots
 * as the real client (a new object only when something changed) and records every call in
 * `calls`. `login()` records its options and resolves without navigating: call `signIn()` to
 * play the user coming back. `handleRedirectCallback()` signs in (as the last `signIn` user, or
 * `'test-user'`) and resolves with the last login's `returnTo`. Nothing touches `window` until a
 * method needs it, so it also runs in Node (server rendering tests).
 *
 * @example
 * ```ts
 * import { createTestAuthClient } from '@oauth-spa/core/testing'
 *
 * const auth = createTestAuthClient({ allowedOrigins: ['https://api.example.com'], fetch: fakeFetch })
 * render(<AuthProvider client={auth}><App /></AuthProvider>)
 * await user.click(screen.getByText('Log in'))
 * expect(auth.calls.login).toEqual([{ returnTo: '/' }])
 * act(() => auth.signIn({ name: 'Ada' }, { token: 'token-1' }))
 * auth.failNextRefresh() // the next refresh ends the session with a LoginRequiredError
 * ```
 */
export declare function createTestAuthClient(init?: TestAuthClientInit): TestAuthClient
