import { AuthError, CallbackError, DeviceLoginError, LoginRequiredError } from './errors.js'
import type { AllowedOrigin } from './fetch.js'
import type { User } from './session.js'
import { watchAccessToken } from './watch.js'
import type {
  AuthClient,
  AuthEvents,
  AuthState,
  DeviceLogin,
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
  setToken(token: string, options?: { expiresIn?: number; resource?: string }): void
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

interface HeldToken {
  token: string
  expiresAt: number
  scope?: string
}

const DEFAULT_LIFETIME = 3600
const OAUTH_PARAMS = ['code', 'state', 'iss', 'session_state', 'error', 'error_description']

const covers = (granted: string | undefined, wanted: string | undefined) =>
  granted === undefined || !wanted || wanted.split(' ').every((s) => granted.split(' ').includes(s))

/** Exact origin, then a path prefix on a segment boundary: the real client's `allowedOrigins`. */
function findRule(origins: readonly AllowedOrigin[], url: URL) {
  return origins
    .map((entry) => (typeof entry === 'string' ? { url: entry } : entry))
    .map((e) => {
      const u = new URL(e.url)
      return {
        ...e,
        origin: u.origin,
        path: u.pathname === '/' ? '' : u.pathname.replace(/\/?$/, '/'),
      }
    })
    .filter((r) => url.origin === r.origin && (url.pathname + '/').startsWith(r.path))
    .sort((a, b) => b.path.length - a.path.length)[0]
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
export function createTestAuthClient(init: TestAuthClientInit = {}): TestAuthClient {
  const now = init.now ?? Date.now
  const storage = init.storage ?? { type: 'memory' }
  let issued = 0
  let lastUser: User = { sub: 'test-user' }
  let lastLogin: LoginOptions | undefined
  let tokens = new Map<string, HeldToken>()
  let refreshFailure: AuthError | undefined
  const failures = new Map<FailableMethod, AuthError[]>()
  const callbacks = new Map<string, Promise<{ returnTo: string }>>()
  let lastCallback: Promise<{ returnTo: string }> | undefined
  const calls: TestAuthCalls = {
    login: [],
    logout: [],
    getAccessToken: [],
    handleRedirectCallback: [],
    fetch: [],
    deviceLogin: [],
  }
  let device: { settle(error?: DeviceLoginError): void } | undefined

  let state: AuthState = {
    status: 'loading',
    user: null,
    expiresAt: null,
    error: null,
    storage,
  }
  const listeners = new Set<() => void>()
  const handlers = new Map<keyof AuthEvents, Set<(payload: never) => void>>()
  let markReady!: () => void
  const ready = new Promise<void>((resolve) => (markReady = resolve))

  function set(patch: Partial<AuthState>) {
    const next = { ...state, ...patch } as AuthState
    if ((Object.keys(next) as (keyof AuthState)[]).some((k) => next[k] !== state[k])) {
      state = next
      if (state.status !== 'loading') markReady()
      listeners.forEach((l) => l())
    }
  }
  function emit<E extends keyof AuthEvents>(event: E, payload: AuthEvents[E]) {
    handlers.get(event)?.forEach((h) => (h as (p: AuthEvents[E]) => void)(payload))
  }
  function report(error: AuthError) {
    set({ error })
    emit('error', { error })
    return error
  }
  const nextFailure = (method: FailableMethod) => failures.get(method)?.shift()
  const issue = (expiresIn = DEFAULT_LIFETIME, scope?: string, token?: string): HeldToken => ({
    token: token ?? `test-token-${++issued}`,
    expiresAt: now() + expiresIn * 1000,
    scope,
  })
  const showTokens = (error: AuthError | null = null) =>
    set({
      status: 'authenticated',
      user: lastUser,
      expiresAt: tokens.get('')?.expiresAt ?? 0,
      error,
    })

  function end(reason: AuthEvents['sessionEnded']['reason'], error?: AuthError) {
    const had = state.status === 'authenticated'
    tokens = new Map()
    if (had) emit('sessionEnded', error ? { reason, error } : { reason })
    set({ status: 'unauthenticated', user: null, expiresAt: null, error: error ?? null })
  }

  /** The real client's getAccessToken without the recording: `fetch` uses it too. */
  async function token(opts: GetAccessTokenOptions = {}): Promise<string> {
    if (state.status === 'loading') await ready
    const key = opts.resource ?? ''
    const held = tokens.get(key)
    if (!opts.forceRefresh && held && now() < held.expiresAt && covers(held.scope, opts.scope))
      return held.token
    if (state.status !== 'authenticated') throw new LoginRequiredError()
    await Promise.resolve() // a refresh is never synchronous
    const failure = refreshFailure
    refreshFailure = undefined
    if (failure instanceof LoginRequiredError) {
      end('expired', failure)
      throw failure
    }
    if (failure) throw report(failure)
    const scope = held?.scope === undefined ? undefined : [held.scope, opts.scope].join(' ').trim()
    const next = issue(DEFAULT_LIFETIME, scope)
    tokens.set(key, next)
    if (key === '') showTokens()
    emit('tokenRefreshed', { resource: key, expiresAt: next.expiresAt })
    return next.token
  }

  const client: TestAuthClient = {
    ready,
    calls,
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    on(event, listener) {
      const bucket = handlers.get(event) ?? new Set()
      handlers.set(event, bucket)
      bucket.add(listener as (payload: never) => void)
      return () => void bucket.delete(listener as (payload: never) => void)
    },

    async login(options) {
      calls.login.push(options)
      lastLogin = options
      const failure = nextFailure('login')
      if (failure) throw report(failure)
      if (options?.popup) return { returnTo: options.returnTo ?? '/' }
    },
    isCallback(url = globalThis.location?.href) {
      if (!url) return false
      const p = new URL(url).searchParams
      return p.has('state') && (p.has('code') || p.has('error'))
    },
    handleRedirectCallback(url) {
      calls.handleRedirectCallback.push(url)
      const here = globalThis.location?.href
      const target = url ?? here
      const u = target ? new URL(target) : undefined
      const stateParam = u?.searchParams.get('state') ?? ''
      // As the real client: clean the address bar, and answer a repeated response the same way.
      if (u && target === here && OAUTH_PARAMS.some((p) => u.searchParams.has(p))) {
        OAUTH_PARAMS.forEach((p) => u.searchParams.delete(p))
        history.replaceState(history.state, '', u.href)
      }
      const known = stateParam ? callbacks.get(stateParam) : lastCallback
      if (known) return known
      if (!stateParam) {
        return Promise.reject(
          report(
            new CallbackError('No login response in the URL: call login() first.', 'no_response'),
          ),
        )
      }
      const failure = nextFailure('handleRedirectCallback')
      const outcome = failure
        ? Promise.reject(report(failure))
        : Promise.resolve().then(() => {
            client.signIn(lastUser)
            return { returnTo: lastLogin?.returnTo ?? '/' }
          })
      callbacks.set(stateParam, outcome)
      return (lastCallback = outcome)
    },

    // The real observer, over this double's getAccessToken and state.
    watchAccessToken: (options, listener) => watchAccessToken(client, options ?? {}, listener),

    async deviceLogin(options) {
      calls.deviceLogin.push(options)
      const failure = nextFailure('deviceLogin')
      if (failure) throw report(failure)
      device?.settle(new DeviceLoginError('aborted', 'Replaced by a new device login.'))
      let settle!: (error?: DeviceLoginError) => void
      const result = new Promise<void>((resolve, reject) => {
        settle = (error) => {
          if (current !== device) return
          device = undefined
          if (error) reject(error)
          else resolve()
        }
      })
      result.catch(() => {}) // a test that never looks at `result` must not see a rejection
      const current = (device = { settle })
      return {
        userCode: 'TEST-CODE',
        verificationUri: 'https://as.example/device',
        verificationUriComplete: 'https://as.example/device?user_code=TEST-CODE',
        expiresAt: now() + 600_000,
        result,
        cancel: () => settle(new DeviceLoginError('aborted', 'The device login was cancelled.')),
      } satisfies DeviceLogin
    },

    async getAccessToken(options) {
      calls.getAccessToken.push(options)
      const failure = nextFailure('getAccessToken')
      if (failure) throw failure
      return token(options)
    },

    async fetch(input, requestInit) {
      const request = new Request(input, requestInit)
      // Read at each call: a test may swap `init.fetch` after creating the client.
      const base = init.fetch ?? globalThis.fetch
      const failure = nextFailure('fetch')
      const url = new URL(request.url)
      const rule = findRule(init.allowedOrigins ?? [], url)
      if (!rule || request.headers.has('authorization')) {
        calls.fetch.push(request)
        if (failure) throw failure
        return base(request)
      }
      const headers = new Headers(request.headers)
      headers.set(
        'authorization',
        `Bearer ${await token({ resource: rule.resource, scope: rule.scope })}`,
      )
      const sent = new Request(request, { headers, redirect: 'manual' })
      calls.fetch.push(sent)
      if (failure) throw failure
      return base(sent)
    },

    async logout(options) {
      calls.logout.push(options)
      const failure = nextFailure('logout')
      end('logout', failure)
      if (failure) throw report(failure)
    },

    destroy() {
      listeners.clear()
      handlers.clear()
    },

    signIn(user = {}, options = {}) {
      lastUser = { ...user, sub: user.sub ?? 'test-user' } as User
      tokens = new Map([['', issue(options.expiresIn, options.scope, options.token)]])
      showTokens()
      emit('loggedIn', { user: lastUser })
    },
    signOut(reason = 'logout', error) {
      end(reason, error)
    },
    setToken(value, options = {}) {
      if (state.status !== 'authenticated') {
        throw new TypeError('setToken() needs a session: call signIn() first.')
      }
      const key = options.resource ?? ''
      const next = issue(options.expiresIn, tokens.get(key)?.scope, value)
      tokens.set(key, next)
      if (key === '') showTokens(state.error)
      emit('tokenRefreshed', { resource: key, expiresAt: next.expiresAt })
    },
    setLoading() {
      set({ status: 'loading', user: null, expiresAt: null })
    },
    failNextRefresh(
      error = new LoginRequiredError(
        'The session has ended (invalid_grant): call login().',
        'invalid_grant',
      ),
    ) {
      refreshFailure = error
    },
    approveDeviceLogin(user) {
      if (!device) throw new TypeError('approveDeviceLogin() needs a pending deviceLogin().')
      client.signIn(user)
      device.settle()
    },
    denyDeviceLogin(code = 'access_denied') {
      if (!device) throw new TypeError('denyDeviceLogin() needs a pending deviceLogin().')
      const error = new DeviceLoginError(code, `The device login ended (${code}) (test double).`)
      device.settle(error)
      report(error)
    },
    failNext(method, error = new AuthError(`${method}() failed (test double).`)) {
      failures.set(method, [...(failures.get(method) ?? []), error])
    },
  }
  if (init.user) client.signIn(init.user, { token: init.token, expiresIn: init.expiresIn })
  else if (!init.loading) set({ status: 'unauthenticated' })
  return client
}
