import { AuthError, CallbackError, DeviceLoginError, LoginRequiredError } from './errors.js'
const DEFAULT_LIFETIME = 3600
const OAUTH_PARAMS = ['code', 'state', 'iss', 'session_state', 'error', 'error_description']
const covers = (granted, wanted) =>
  granted === undefined || !wanted || wanted.split(' ').every((s) => granted.split(' ').includes(s))
/** Exact origin, then a path prefix on a segment boundary: the real client's `allowedOrigins`. */
function findRule(origins, url) {
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
export function createTestAuthClient(init = {}) {
  const now = init.now ?? Date.now
  const storage = init.storage ?? { type: 'memory' }
  let issued = 0
  let lastUser = { sub: 'test-user' }
  let lastLogin
  let tokens = new Map()
  let refreshFailure
  const failures = new Map()
  const callbacks = new Map()
  let lastCallback
  const calls = {
    login: [],
    logout: [],
    getAccessToken: [],
    handleRedirectCallback: [],
    fetch: [],
    deviceLogin: [],
  }
  let device
  let state = {
    status: 'loading',
    user: null,
    expiresAt: null,
    error: null,
    storage,
  }
  const listeners = new Set()
  const handlers = new Map()
  let markReady
  const ready = new Promise((resolve) => (markReady = resolve))
  function set(patch) {
    const next = { ...state, ...patch }
    if (Object.keys(next).some((k) => next[k] !== state[k])) {
      state = next
      if (state.status !== 'loading') markReady()
      listeners.forEach((l) => l())
    }
  }
  function emit(event, payload) {
    handlers.get(event)?.forEach((h) => h(payload))
  }
  function report(error) {
    set({ error })
    emit('error', { error })
    return error
  }
  const nextFailure = (method) => failures.get(method)?.shift()
  const issue = (expiresIn = DEFAULT_LIFETIME, scope, token) => ({
    token: token ?? `test-token-${++issued}`,
    expiresAt: now() + expiresIn * 1000,
    scope,
  })
  const showTokens = (error = null) =>
    set({
      status: 'authenticated',
      user: lastUser,
      expiresAt: tokens.get('')?.expiresAt ?? 0,
      error,
    })
  function end(reason, error) {
    const had = state.status === 'authenticated'
    tokens = new Map()
    if (had) emit('sessionEnded', error ? { reason, error } : { reason })
    set({ status: 'unauthenticated', user: null, expiresAt: null, error: error ?? null })
  }
  /** The real client's getAccessToken without the recording: `fetch` uses it too. */
  async function token(opts = {}) {
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
  const client = {
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
      bucket.add(listener)
      return () => void bucket.delete(listener)
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
    async deviceLogin(options) {
      calls.deviceLogin.push(options)
      const failure = nextFailure('deviceLogin')
      if (failure) throw report(failure)
      device?.settle(new DeviceLoginError('aborted', 'Replaced by a new device login.'))
      let settle
      const result = new Promise((resolve, reject) => {
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
      }
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
      lastUser = { ...user, sub: user.sub ?? 'test-user' }
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
//# sourceMappingURL=testing.js.map
