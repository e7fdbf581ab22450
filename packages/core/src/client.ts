import * as oauth from 'oauth4webapi'
import { checkSecureUrl, resolveConfig, type AuthClientOptions, type Config } from './config.js'
import { discover } from './discovery.js'
import {
  AuthError,
  CallbackError,
  ConfigurationError,
  DPoPError,
  LoginRequiredError,
  OAuthError,
  StorageError,
} from './errors.js'
import { isTransient, toAuthError } from './classify.js'
import { httpOptions } from './http.js'
import { withLock } from './lock.js'
import { safeReturnTo } from './return-to.js'
import {
  isFresh,
  readSession,
  sameIdentity,
  toStoredToken,
  type Session,
  type StoredToken,
  type User,
} from './session.js'
import { indexedDbStore, memoryStore, withFallback, type TokenStore } from './storage.js'
import {
  clearTransactions,
  saveTransaction,
  takeTransaction,
  TRANSACTION_TTL,
  type Transaction,
} from './transactions.js'
import { createAuthFetch } from './fetch.js'
import { internals } from './internals.js'

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
    reason: 'logout' | 'expired' | 'other_tab' | 'invalid_session'
    error?: AuthError
  }
  error: { error: AuthError }
  storageFallback: { reason: string }
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
  /** Same-origin path (or registered URL) to land on after RP-initiated logout. */
  returnTo?: string
  /** Clear this app's session everywhere but do not visit the server's end-session page. */
  localOnly?: boolean
}

export interface AuthClient {
  /** Resolves once the stored session has been read (no network). */
  readonly ready: Promise<void>
  getState(): AuthState
  /** Calls `listener` after every state change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void
  on<E extends keyof AuthEvents>(event: E, listener: (payload: AuthEvents[E]) => void): () => void
  /** Redirects to the authorization server (Authorization Code + PKCE S256, state, nonce). */
  login(options?: LoginOptions): Promise<void>
  /** True when `url` (default: the current one) is an authorization response. */
  isCallback(url?: string): boolean
  /**
   * On the redirect URI: validates the response, exchanges the code, cleans the URL, and
   * resolves with the same-origin `returnTo` path. It does not navigate.
   */
  handleRedirectCallback(url?: string): Promise<{ returnTo: string }>
  /** A valid access token, refreshed when needed. Throws `LoginRequiredError` when logged out. */
  getAccessToken(options?: GetAccessTokenOptions): Promise<string>
  /** `fetch` that adds the token for `allowedOrigins` only. See {@link createAuthFetch}. */
  fetch: typeof fetch
  /** Revokes tokens, clears the session in every tab, then RP-initiated logout. */
  logout(options?: LogoutOptions): Promise<void>
  /** Stops timers and listeners. The stored session stays. */
  destroy(): void
}

const SILENT_FRAME = 'data-oauth-spa-silent'
const OAUTH_PARAMS = [
  'code',
  'state',
  'iss',
  'session_state',
  'error',
  'error_description',
  'error_uri',
]
const MAX_TIMER = 2 ** 31 - 1
const ID_CLAIMS = [
  'iss',
  'aud',
  'azp',
  'exp',
  'iat',
  'nbf',
  'nonce',
  'at_hash',
  'c_hash',
  's_hash',
  'jti',
  'sid',
]

const hasScopes = (granted: string, wanted: string | undefined) =>
  !wanted || wanted.split(' ').every((s) => !s || granted.split(' ').includes(s))

/**
 * Creates the client. Starts reading the stored session (IndexedDB, no network); nothing it starts
 * outlives {@link AuthClient.destroy}.
 *
 * @example
 * ```ts
 * const auth = createAuthClient({ issuer: 'https://login.example.com', clientId: 'spa', redirectUri: location.origin + '/callback' })
 * ```
 */
export function createAuthClient(options: AuthClientOptions): AuthClient {
  const cfg: Config = resolveConfig(options)
  const client: oauth.Client = {
    client_id: cfg.clientId,
    [oauth.clockTolerance]: cfg.clockTolerance,
  }
  const none = oauth.None()
  const origin = location.origin
  const storageType: StorageInfo['type'] =
    typeof cfg.storage === 'object' ? 'custom' : (cfg.storage ?? 'indexeddb')
  let fellBack = false
  const store: TokenStore =
    storageType === 'memory'
      ? memoryStore()
      : withFallback(
          storageType === 'custom' ? (cfg.storage as TokenStore) : indexedDbStore(cfg.ns),
          (reason) => {
            fellBack = true
            const error = new StorageError(
              `Storage failed (${reason}); the session is kept in memory for this tab only.`,
            )
            set({ storage: { type: 'memory', fallbackReason: reason }, error })
            emit('storageFallback', { reason })
          },
        )
  const shared = () => (storageType === 'memory' || fellBack ? undefined : store)

  // ---- state: changed in `set` only -------------------------------------------------------
  let state: AuthState = {
    status: 'loading',
    user: null,
    expiresAt: null,
    error: null,
    storage: { type: storageType },
  }
  const listeners = new Set<() => void>()
  const handlers = new Map<string, Set<(p: never) => void>>()
  function set(patch: Partial<AuthState>) {
    const next = { ...state, ...patch } as AuthState
    if ((Object.keys(next) as (keyof AuthState)[]).every((k) => next[k] === state[k])) return
    state = next
    listeners.forEach((l) => l())
  }
  function emit<E extends keyof AuthEvents>(event: E, payload: AuthEvents[E]) {
    handlers.get(event)?.forEach((h) => (h as (p: AuthEvents[E]) => void)(payload))
  }
  const report = (error: AuthError) => {
    set({ error })
    emit('error', { error })
    return error
  }

  let session: Session | undefined
  let generation = 0
  let destroyed = false
  let server: Promise<oauth.AuthorizationServer> | undefined
  let dpopHandle: oauth.DPoPHandle | undefined
  const inflight = new Map<string, Promise<unknown>>()
  let lastCallback: Promise<{ returnTo: string }> | undefined

  function show(s: Session | undefined, error: AuthError | null = null) {
    session = s
    const t = s?.tokens[cfg.resource ?? '']
    set(
      s
        ? { status: 'authenticated', user: s.user, expiresAt: t?.expiresAt ?? 0, error }
        : { status: 'unauthenticated', user: null, expiresAt: null, error },
    )
    schedule()
  }

  const getServer = () => {
    server ??= discover(cfg, store)
    server.catch(() => (server = undefined))
    return server
  }

  async function getDPoP(create: boolean): Promise<oauth.DPoPHandle | undefined> {
    if (!cfg.dpop) return undefined
    if (dpopHandle) return dpopHandle
    const as = create ? await getServer() : undefined
    return (dpopHandle = await cfg.dpop(store, create, as?.dpop_signing_alg_values_supported))
  }

  /** One retry when the server asks for a DPoP nonce (RFC 9449 §8); never a loop. */
  async function withNonceRetry<T>(
    run: (DPoP?: oauth.DPoPHandle) => Promise<T>,
    DPoP?: oauth.DPoPHandle,
  ): Promise<T> {
    try {
      return await run(DPoP)
    } catch (err) {
      if (DPoP && oauth.isDPoPNonceError(err)) return run(DPoP)
      throw err
    }
  }

  const tokenParams = (resource?: string, scope?: string): Record<string, string> => ({
    ...(resource ? { resource } : {}),
    ...(cfg.audience ? { audience: cfg.audience } : {}),
    ...(scope ? { scope } : {}),
    ...cfg.extraTokenParams,
  })

  function checkBinding(res: oauth.TokenEndpointResponse, DPoP?: oauth.DPoPHandle) {
    if (DPoP && res.token_type !== 'dpop') {
      throw new DPoPError(
        `DPoP was requested but the server issued a "${res.token_type}" token; it was not stored. Enable DPoP for this client on the server, or set dpop: false.`,
      )
    }
  }

  const userOf = (claims: oauth.IDToken): User =>
    Object.fromEntries(Object.entries(claims).filter(([k]) => !ID_CLAIMS.includes(k))) as User

  // ---- start-up: storage only, never the network -------------------------------------------
  async function restore() {
    let s: Session | undefined
    let error: AuthError | null = null
    try {
      s = readSession(await store.get('session'), cfg.ns)
      if (s?.dpop && !(await getDPoP(false))) {
        // Tokens bound to a key we no longer have are useless: end cleanly.
        await store.del('session')
        s = undefined
        error = new DPoPError('The DPoP key of the stored session is gone; log in again.')
      }
    } catch (err) {
      error = toAuthError(err, 'Reading the stored session')
    }
    if (!destroyed) show(s, error ?? state.error)
  }
  const ready = restore()

  // ---- cross-tab: tabs share the store; messages only say "look again" -------------------
  const channel =
    typeof BroadcastChannel === 'function' ? new BroadcastChannel(`oauth-spa:${cfg.ns}`) : undefined
  const tell = (type: 'session' | 'logout') => channel?.postMessage({ type })
  if (channel) {
    channel.onmessage = async (e: MessageEvent<{ type?: string }>) => {
      if (e.data?.type === 'logout') {
        generation++
        dpopHandle = undefined
        if (session) emit('sessionEnded', { reason: 'other_tab' })
        show(undefined)
      } else if (e.data?.type === 'session') {
        const s = readSession(await store.get('session').catch(() => undefined), cfg.ns)
        if (s?.dpop) dpopHandle = undefined
        show(s)
      }
    }
  }

  // ---- automatic refresh ------------------------------------------------------------------
  let timer: unknown
  let failures = 0
  function schedule(delay?: number) {
    if (timer !== undefined) cfg.clearTimeout(timer)
    timer = undefined
    const t = session?.tokens[cfg.resource ?? '']
    if (destroyed || !cfg.autoRefresh || !t || !session?.refreshToken) return
    const ms = delay ?? t.expiresAt - t.leeway - cfg.now()
    timer = cfg.setTimeout(
      () => {
        timer = undefined
        if (document.visibilityState === 'hidden') return // resumed by `visibilitychange`
        obtain(cfg.resource ?? '', undefined, false).then(
          () => (failures = 0),
          (err) => {
            if (isTransient(err)) {
              const retryAfter = (err as { retryAfter?: number }).retryAfter
              schedule(Math.min(300_000, retryAfter ? retryAfter * 1000 : 5000 * 2 ** failures++))
            }
          },
        )
      },
      Math.min(MAX_TIMER, Math.max(0, ms)),
    )
  }
  const resume = () => {
    if (document.visibilityState === 'visible' && session) {
      failures = 0
      schedule()
    }
  }
  addEventListener('online', resume)
  document.addEventListener('visibilitychange', resume)

  // ---- session end ------------------------------------------------------------------------
  async function endSession(reason: AuthEvents['sessionEnded']['reason'], error?: AuthError) {
    generation++
    dpopHandle = undefined
    await Promise.all([store.del('session'), store.del('dpop'), clearTransactions(store)]).catch(
      () => {},
    )
    tell('logout')
    emit('sessionEnded', { reason, error })
    show(undefined, error ?? null)
  }

  // ---- tokens -----------------------------------------------------------------------------
  async function exchange(
    as: oauth.AuthorizationServer,
    tx: Transaction,
    params: URLSearchParams,
    base?: Session,
  ): Promise<Session> {
    const DPoP = await getDPoP(true)
    const res = await withNonceRetry(
      async (d) =>
        oauth.processAuthorizationCodeResponse(
          as,
          client,
          await oauth.authorizationCodeGrantRequest(
            as,
            client,
            none,
            params,
            tx.redirectUri,
            tx.verifier,
            {
              ...httpOptions(cfg, d),
              additionalParameters: tokenParams(tx.resource),
            },
          ),
          {
            expectedNonce: tx.nonce ?? oauth.expectNoNonce,
            requireIdToken: !!tx.nonce,
            maxAge: tx.maxAge,
          },
        ),
      DPoP,
    )
    checkBinding(res, DPoP)
    const claims = oauth.getValidatedIdTokenClaims(res)
    const idClaims = claims
      ? { iss: claims.iss, sub: claims.sub, aud: claims.aud, azp: claims.azp as string | undefined }
      : (base?.idClaims ?? { iss: as.issuer, sub: '', aud: cfg.clientId })
    if (base && !sameIdentity(base.idClaims, idClaims)) {
      throw new LoginRequiredError(
        'The server answered for another user; the session was ended. Call login().',
        'identity_changed',
      )
    }
    let user: User = claims ? userOf(claims) : (base?.user ?? { sub: '' })
    if (cfg.fetchUserInfo && claims && as.userinfo_endpoint) {
      try {
        const { fetchUserInfo } = await import('./userinfo.js')
        const info = await fetchUserInfo(cfg, as, client, claims.sub, res.access_token, DPoP)
        user = { ...info, ...user }
      } catch (err) {
        report(toAuthError(err, 'UserInfo'))
      }
    }
    return {
      v: 1,
      ns: cfg.ns,
      user,
      idClaims,
      idToken: res.id_token ?? base?.idToken,
      refreshToken: res.refresh_token ?? base?.refreshToken,
      tokens: {
        ...base?.tokens,
        [tx.resource ?? '']: toStoredToken(res, cfg.now(), cfg.leeway, tx.scope),
      },
      dpop: !!DPoP,
    }
  }

  async function refreshGrant(
    as: oauth.AuthorizationServer,
    s: Session,
    key: string,
    scope?: string,
  ): Promise<Session> {
    const DPoP = await getDPoP(false)
    if (s.dpop && !DPoP)
      throw new LoginRequiredError(
        'The DPoP key of this session is gone: call login().',
        'dpop_key_missing',
      )
    const res = await withNonceRetry(
      async (d) =>
        oauth.processRefreshTokenResponse(
          as,
          client,
          await oauth.refreshTokenGrantRequest(as, client, none, s.refreshToken!, {
            ...httpOptions(cfg, d),
            additionalParameters: tokenParams(key || undefined, scope),
          }),
        ),
      DPoP,
    )
    checkBinding(res, DPoP)
    const claims = oauth.getValidatedIdTokenClaims(res)
    if (
      claims &&
      !sameIdentity(s.idClaims, {
        iss: claims.iss,
        sub: claims.sub,
        aud: claims.aud,
        azp: claims.azp as string | undefined,
      })
    ) {
      throw new LoginRequiredError(
        'The refreshed ID token names another user (OIDC Core §12.2); the session was ended.',
        'identity_changed',
      )
    }
    return {
      ...s,
      user: claims ? { ...s.user, ...userOf(claims) } : s.user,
      idToken: res.id_token ?? s.idToken,
      // Rotation: the new refresh token replaces the old one in the same write; none given → keep.
      refreshToken: res.refresh_token ?? s.refreshToken,
      tokens: { ...s.tokens, [key]: toStoredToken(res, cfg.now(), cfg.leeway, scope ?? cfg.scope) },
    }
  }

  async function silentRenew(
    as: oauth.AuthorizationServer,
    s: Session,
    key: string,
    scope?: string,
  ): Promise<Session> {
    const { silentAuthorize } = await import('./silent.js')
    const redirectUri = cfg.silentRedirectUri ?? cfg.redirectUri
    const { url, tx } = await authorizationUrl(
      as,
      { resource: key || undefined, scope, prompt: 'none', returnTo: '/' },
      redirectUri,
      false,
    )
    const params = await silentAuthorize(url, redirectUri, cfg.timeout, SILENT_FRAME)
    return exchange(as, tx, oauth.validateAuthResponse(as, client, params, tx.state), s)
  }

  /** Refresh (or adopt another tab's refresh) under the cross-tab lock; one flight per key. */
  function obtain(key: string, scope: string | undefined, force: boolean): Promise<StoredToken> {
    const flight = `${key} ${scope ?? ''}`
    const running = inflight.get(flight) as Promise<StoredToken> | undefined
    if (running) return running
    const stale = session?.tokens[key]?.accessToken
    const gen = generation
    const p = withLock(`oauth-spa:${cfg.ns}`, shared(), cfg.timeout * 3, sleep, async () => {
      const current =
        readSession(await store.get('session'), cfg.ns) ?? (shared() ? undefined : session)
      if (gen !== generation || !current) throw new LoginRequiredError()
      const adopted = current.tokens[key]
      if (
        isFresh(adopted, cfg.now()) &&
        hasScopes(adopted.scope, scope) &&
        (!force || adopted.accessToken !== stale)
      ) {
        if (current !== session) show(current)
        return adopted
      }
      const as = await getServer()
      const next = await (current.refreshToken ? refreshGrant : silentRenew)(
        as,
        current,
        key,
        scope,
      )
      // A logout (here or in another tab) that happened meanwhile wins: discard the answer.
      if (gen !== generation)
        throw new LoginRequiredError('Logged out while the token was being refreshed.')
      await store.set('session', next)
      tell('session')
      show(next)
      emit('tokenRefreshed', { resource: key, expiresAt: next.tokens[key]!.expiresAt })
      return next.tokens[key]!
    })
      .catch(async (err: unknown) => {
        const error = toAuthError(err, 'Refreshing the session')
        if (isTransient(error) || gen !== generation) throw report(error)
        if (scope && error instanceof OAuthError && error.error === 'invalid_scope') {
          throw new LoginRequiredError(
            `The session cannot get scope "${scope}" without a new login: call login({ scope: '${scope}' }).`,
            'invalid_scope',
            scope,
          )
        }
        const ended =
          error instanceof LoginRequiredError
            ? error
            : new LoginRequiredError(
                `The session has ended (${(error as OAuthError).error ?? error.code}): call login().`,
                (error as OAuthError).error,
              )
        if (session) await endSession('expired', ended)
        throw ended
      })
      .finally(() => inflight.delete(flight))
    inflight.set(flight, p)
    return p
  }

  const sleep = (ms: number) => new Promise<void>((r) => cfg.setTimeout(r, ms))

  async function authorizationUrl(
    as: oauth.AuthorizationServer,
    opts: LoginOptions,
    redirectUri: string,
    persist: boolean,
  ): Promise<{ url: URL; tx: Transaction }> {
    const methods = as.code_challenge_methods_supported
    if (methods && !methods.includes('S256')) {
      throw new ConfigurationError(
        'The authorization server does not offer PKCE with S256; this SDK refuses weaker logins.',
      )
    }
    if (!as.authorization_endpoint)
      throw new ConfigurationError('The server metadata has no authorization_endpoint.')
    const scope = [...new Set(`${cfg.scope} ${opts.scope ?? ''}`.split(' ').filter(Boolean))].join(
      ' ',
    )
    const resource = opts.resource ?? cfg.resource
    const openid = scope.split(' ').includes('openid')
    const tx: Transaction = {
      v: 1,
      state: oauth.generateRandomState(),
      verifier: oauth.generateRandomCodeVerifier(),
      nonce: openid ? oauth.generateRandomNonce() : undefined,
      issuer: as.issuer,
      redirectUri,
      returnTo: safeReturnTo(
        opts.returnTo ?? location.pathname + location.search + location.hash,
        origin,
      ),
      scope,
      resource,
      maxAge: opts.maxAge,
      createdAt: cfg.now(),
    }
    const url = new URL(as.authorization_endpoint)
    const DPoP = await getDPoP(true)
    const params: Record<string, string | undefined> = {
      ...cfg.extraParams,
      ...opts.extraParams,
      client_id: cfg.clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope,
      state: tx.state,
      nonce: tx.nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(tx.verifier),
      code_challenge_method: 'S256',
      resource,
      audience: cfg.audience,
      prompt: opts.prompt,
      login_hint: opts.loginHint,
      max_age: opts.maxAge?.toString(),
      dpop_jkt: await DPoP?.calculateThumbprint(),
    }
    for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v)
    if (persist) await saveTransaction(store, tx, tx.createdAt)
    return { url, tx }
  }

  async function completeCallback(
    params: URLSearchParams,
    stateParam: string,
  ): Promise<{ returnTo: string }> {
    await ready
    const tx = await takeTransaction(store, stateParam)
    if (!tx) {
      throw new CallbackError(
        'This login response is unknown or was already used (a reload, the Back button, or another tab). Call login() again.',
        'unknown_state',
      )
    }
    if (cfg.now() - tx.createdAt > TRANSACTION_TTL) {
      throw new CallbackError(
        'This login took too long and expired. Call login() again.',
        'expired',
      )
    }
    const as = await getServer()
    let validated: URLSearchParams
    try {
      // Checks state, then `error=`, then RFC 9207 `iss` against the server this login was sent to.
      validated = oauth.validateAuthResponse({ ...as, issuer: tx.issuer }, client, params, tx.state)
    } catch (err) {
      throw err instanceof oauth.AuthorizationResponseError
        ? toAuthError(err, 'Login')
        : new CallbackError(
            `The login response was rejected: ${(err as Error).message}. Call login() again.`,
            'invalid_response',
          )
    }
    const gen = generation
    const next = await exchange(as, tx, validated)
    if (gen !== generation) throw new LoginRequiredError('Logged out during login.')
    await store.set('session', next)
    tell('session')
    show(next)
    emit('loggedIn', { user: next.user })
    return { returnTo: tx.returnTo }
  }

  const auth: AuthClient = {
    ready,
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    on(event, listener) {
      const set = handlers.get(event) ?? new Set()
      handlers.set(event, set)
      set.add(listener as (p: never) => void)
      return () => void set.delete(listener as (p: never) => void)
    },

    async login(opts = {}) {
      const { url } = await authorizationUrl(await getServer(), opts, cfg.redirectUri, true).catch(
        (err) => {
          throw report(toAuthError(err, 'Login'))
        },
      )
      cfg.navigate(url.href)
    },

    isCallback(url = location.href) {
      const u = new URL(url)
      return (
        u.searchParams.has('state') && (u.searchParams.has('code') || u.searchParams.has('error'))
      )
    },

    handleRedirectCallback(url = location.href) {
      const u = new URL(url)
      const params = new URLSearchParams(u.searchParams)
      // The app loaded inside our own silent-renewal iframe must leave the response to its parent.
      if (window.frameElement?.hasAttribute(SILENT_FRAME)) {
        return Promise.reject(
          new CallbackError('Running inside the silent renewal frame.', 'in_silent_frame'),
        )
      }
      // Clean the address bar first: nothing may render or fetch with the code in the URL.
      if (OAUTH_PARAMS.some((p) => u.searchParams.has(p))) {
        OAUTH_PARAMS.forEach((p) => u.searchParams.delete(p))
        if (url === location.href) history.replaceState(history.state, '', u.href)
      }
      const stateParam = params.get('state')
      // A second call after the URL was cleaned (StrictMode, a double click) shares the first outcome.
      if (!stateParam && lastCallback && url === location.href) return lastCallback
      if (!stateParam) {
        return Promise.reject(
          report(
            new CallbackError(
              'No authorization response in the URL. Call login() first.',
              'no_response',
            ),
          ),
        )
      }
      const key = `cb ${stateParam}`
      let p = inflight.get(key) as Promise<{ returnTo: string }> | undefined
      if (!p) {
        p = completeCallback(params, stateParam).catch((err) => {
          throw report(toAuthError(err, 'Completing the login'))
        })
        inflight.set(key, p) // kept: a second call for the same response gets the same outcome
      }
      return (lastCallback = p)
    },

    async getAccessToken(opts = {}) {
      if (state.status === 'loading') await ready
      const key = opts.resource ?? cfg.resource ?? ''
      const t = session?.tokens[key]
      if (!opts.forceRefresh && isFresh(t, cfg.now()) && hasScopes(t.scope, opts.scope))
        return t.accessToken
      if (!session) throw new LoginRequiredError()
      return (await obtain(key, opts.scope, !!opts.forceRefresh)).accessToken
    },

    fetch: (input, init) => authFetch(input, init),

    async logout(opts = {}) {
      generation++
      if (timer !== undefined) cfg.clearTimeout(timer)
      let error: AuthError | null = null
      let as: oauth.AuthorizationServer | undefined
      let idToken: string | undefined
      try {
        as = await getServer()
      } catch (err) {
        error = toAuthError(err, 'Logout')
      }
      await withLock(`oauth-spa:${cfg.ns}`, shared(), cfg.timeout * 3, sleep, async () => {
        const current =
          readSession(await store.get('session').catch(() => undefined), cfg.ns) ?? session
        idToken = current?.idToken
        if (current && as?.revocation_endpoint) {
          const DPoP = await getDPoP(false)
          const tokens = [
            current.refreshToken,
            ...Object.values(current.tokens).map((t) => t.accessToken),
          ]
          for (const token of tokens.filter((t): t is string => !!t)) {
            try {
              await withNonceRetry(
                async (d) =>
                  oauth.processRevocationResponse(
                    await oauth.revocationRequest(as!, client, none, token, httpOptions(cfg, d)),
                  ),
                DPoP,
              )
            } catch (err) {
              // Reported, not fatal: the local session is cleared whatever the server says.
              error ??= toAuthError(err, 'Revoking the tokens')
            }
          }
        }
        await endSession('logout', error ?? undefined)
      }).catch(async (err) => {
        error ??= toAuthError(err, 'Logout')
        await endSession('logout', error)
      })
      if (error) report(error)
      if (opts.localOnly || !as?.end_session_endpoint) return
      const end = checkSecureUrl(as.end_session_endpoint, 'end_session_endpoint')
      const back = opts.returnTo && /^https?:/.test(opts.returnTo) ? opts.returnTo : null
      end.searchParams.set('client_id', cfg.clientId)
      if (idToken) end.searchParams.set('id_token_hint', idToken)
      end.searchParams.set(
        'post_logout_redirect_uri',
        back ??
          cfg.postLogoutRedirectUri ??
          new URL(safeReturnTo(opts.returnTo, origin), origin).href,
      )
      cfg.navigate(end.href)
    },

    destroy() {
      destroyed = true
      generation++
      if (timer !== undefined) cfg.clearTimeout(timer)
      channel?.close()
      removeEventListener('online', resume)
      document.removeEventListener('visibilitychange', resume)
      listeners.clear()
      handlers.clear()
    },
  }

  internals.set(auth, {
    cfg,
    token: async (opts: GetAccessTokenOptions) => {
      await auth.getAccessToken(opts)
      return session!.tokens[opts.resource ?? cfg.resource ?? '']!
    },
    dpop: () => getDPoP(false),
  })
  const authFetch = createAuthFetch(auth)
  return auth
}
