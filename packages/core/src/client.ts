import * as oauth from 'oauth4webapi'
import { resolveConfig, type AuthClientOptions } from './config.js'
import { LOGIN_POPUP, SILENT_FRAME, type Ctx } from './context.js'
import { discover } from './discovery.js'
import { AuthError, CallbackError, DPoPError, LoginRequiredError, StorageError } from './errors.js'
import { toAuthError } from './classify.js'
import { createAuthFetch } from './fetch.js'
import { internals } from './internals.js'
import { withLock } from './lock.js'
import { hasScopes, obtain } from './refresh.js'
import { isFresh, readSession, type Session } from './session.js'
import { indexedDbStore, memoryStore, withFallback, type TokenStore } from './storage.js'
import { clearTransactions } from './transactions.js'
import type { AuthClient, AuthState, StorageInfo } from './types.js'

/**
 * Inside our own silent-renewal iframe or login popup, the app leaves the authorization response
 * alone: the window that opened it reads it from the URL.
 */
const delegated = () =>
  !!window.frameElement?.hasAttribute(SILENT_FRAME) ||
  (window.name === LOGIN_POPUP && !!window.opener)

const OAUTH_PARAMS = [
  'code',
  'state',
  'iss',
  'session_state',
  'error',
  'error_description',
  'error_uri',
]
/** setTimeout fires at once beyond this. */
const MAX_TIMER = 2 ** 31 - 1

/**
 * Creates the client. It reads the stored session (IndexedDB, never the network); nothing it
 * starts outlives {@link AuthClient.destroy}.
 *
 * @example
 * ```ts
 * const auth = createAuthClient({
 *   issuer: 'https://login.example.com',
 *   clientId: 'my-spa',
 *   redirectUri: `${location.origin}/callback`,
 *   allowedOrigins: ['https://api.example.com'],
 * })
 * ```
 * @see RFC 9700, OAuth 2.0 for Browser-Based Applications
 */
export function createAuthClient(options: AuthClientOptions): AuthClient {
  const cfg = resolveConfig(options)
  const type: StorageInfo['type'] =
    typeof cfg.storage === 'object' ? 'custom' : (cfg.storage ?? 'indexeddb')
  let fellBack = false
  const store: TokenStore =
    type === 'memory'
      ? memoryStore()
      : withFallback(
          type === 'custom' ? (cfg.storage as TokenStore) : indexedDbStore(cfg.ns),
          (reason) => {
            fellBack = true
            set({ storage: { type: 'memory', fallbackReason: reason } })
            ctx.report(
              new StorageError(
                `Storage failed (${reason}): the session lives in this tab's memory only.`,
              ),
            )
            ctx.emit('storageFallback', { reason })
          },
        )

  // ---- state: one snapshot, replaced in `set` only ------------------------------------------
  let state: AuthState = {
    status: 'loading',
    user: null,
    expiresAt: null,
    error: null,
    storage: { type },
  }
  const listeners = new Set<() => void>()
  const handlers = new Map<string, Set<(payload: never) => void>>()
  /** App code runs outside our control flow: its exceptions surface, but break nothing here. */
  const guard = (fn: () => void) => {
    try {
      fn()
    } catch (err) {
      queueMicrotask(() => {
        throw err
      })
    }
  }
  function set(patch: Partial<AuthState>) {
    const next = { ...state, ...patch } as AuthState
    if ((Object.keys(next) as (keyof AuthState)[]).some((k) => next[k] !== state[k])) {
      state = next
      listeners.forEach(guard)
    }
  }

  let server: Promise<oauth.AuthorizationServer> | undefined
  let dpopHandle: Promise<oauth.DPoPHandle | undefined> | undefined
  let destroyed = false
  let lastCallback: Promise<{ returnTo: string }> | undefined
  const channel =
    typeof BroadcastChannel === 'function' ? new BroadcastChannel(`oauth-spa:${cfg.ns}`) : undefined
  const shared = () => (type === 'memory' || fellBack ? undefined : store)

  const ctx: Ctx = {
    cfg,
    client: { client_id: cfg.clientId, [oauth.clockTolerance]: cfg.clockTolerance },
    store,
    shared,
    session: undefined,
    gen: 0,
    inflight: new Map(),
    server() {
      server ??= discover(cfg, store)
      server.catch(() => (server = undefined))
      return server
    },
    dpop(create) {
      const load = cfg.dpop
      if (!load) return Promise.resolve(undefined)
      const fresh = async () =>
        load(
          store,
          create,
          create ? (await ctx.server()).dpop_signing_alg_values_supported : undefined,
        )
      // Chained, not awaited first: concurrent callers share one key pair.
      const p = (dpopHandle = dpopHandle ? dpopHandle.then((h) => h ?? fresh()) : fresh())
      p.catch(() => dpopHandle === p && (dpopHandle = undefined))
      return p
    },
    show(s, error = null) {
      ctx.session = s
      set(
        s
          ? {
              status: 'authenticated',
              user: s.user,
              expiresAt: s.tokens[cfg.resource ?? '']?.expiresAt ?? 0,
              error,
            }
          : { status: 'unauthenticated', user: null, expiresAt: null, error },
      )
      schedule()
    },
    report(error) {
      set({ error })
      ctx.emit('error', { error })
      return error
    },
    emit(event, payload) {
      handlers.get(event)?.forEach((h) => guard(() => (h as (p: typeof payload) => void)(payload)))
    },
    tell: (type) => channel?.postMessage({ type }),
    async end(reason, error) {
      ctx.gen++
      // A logout also rotates the DPoP key and drops pending logins; an expired session keeps
      // them, since a login may be under way in another tab.
      const clearing = [store.del('session')]
      if (reason === 'logout') {
        dpopHandle = undefined
        clearing.push(store.del('dpop'), clearTransactions(store))
      }
      await Promise.all(clearing).catch((err) => {
        error ??= new StorageError(
          `The stored session could not be deleted (${(err as Error).message}).`,
        )
      })
      ctx.tell('logout')
      ctx.emit('sessionEnded', { reason, error })
      ctx.show(undefined, error)
    },
    // Long enough for discovery and a grant, each with its nonce retry.
    lock: (fn) => withLock(`oauth-spa:${cfg.ns}`, shared(), cfg.timeout * 5, sleep, fn),
  }
  const sleep = (ms: number) => new Promise<void>((r) => cfg.setTimeout(r, ms))

  // ---- start-up: storage only, never the network --------------------------------------------
  const ready = (async () => {
    const gen = ctx.gen
    let s: Session | undefined
    let error: AuthError | null = null
    try {
      s = readSession(await store.get('session'), cfg.ns)
      // Tokens bound to a key that is gone, or was replaced, are useless: end cleanly.
      if (s?.dpop && (await (await ctx.dpop(false))?.calculateThumbprint()) !== s.jkt) {
        await store.del('session')
        s = undefined
        error = new DPoPError('The DPoP key of the stored session is gone: call login().')
      }
    } catch (err) {
      error = toAuthError(err, 'Reading the stored session')
    }
    // A logout that happened while storage was read wins.
    if (!destroyed && gen === ctx.gen) ctx.show(s, error ?? state.error)
    else if (!destroyed) set({ status: 'unauthenticated' })
  })()

  // ---- other tabs: the store is shared, messages only say "look again" ------------------------
  if (channel) {
    channel.onmessage = async (e: MessageEvent<{ type?: string }>) => {
      if (e.data?.type === 'logout') {
        ctx.gen++
        dpopHandle = undefined
        if (ctx.session) ctx.emit('sessionEnded', { reason: 'other_tab' })
        ctx.show(undefined)
      } else if (e.data?.type === 'session') {
        const gen = ctx.gen
        const s = readSession(await store.get('session').catch(() => undefined), cfg.ns)
        if (gen === ctx.gen) ctx.show(s)
      }
    }
  }

  // ---- refresh ahead of expiry, with backoff on passing failures ------------------------------
  let timer: unknown
  let failures = 0
  function schedule(delay?: number) {
    if (timer !== undefined) cfg.clearTimeout(timer)
    timer = undefined
    const t = ctx.session?.tokens[cfg.resource ?? '']
    if (destroyed || !cfg.autoRefresh || !t || !ctx.session?.refreshToken) return
    const ms = delay ?? t.expiresAt - t.leeway - cfg.now()
    timer = cfg.setTimeout(
      () => {
        timer = undefined
        if (document.visibilityState === 'hidden') return // `visibilitychange` resumes
        obtain(ctx, cfg.resource ?? '', undefined).then(
          () => (failures = 0),
          // Still logged in (the failure was not a refused grant): try again, backing off.
          (err: AuthError & { retryAfter?: number }) =>
            ctx.session &&
            schedule(
              Math.min(300_000, err.retryAfter ? err.retryAfter * 1000 : 5000 * 2 ** failures++),
            ),
        )
      },
      Math.min(MAX_TIMER, Math.max(0, ms)),
    )
  }
  // Timers lie after a laptop sleeps: look again when the page comes back or the network does.
  const resume = () => {
    if (document.visibilityState === 'visible' && ctx.session) {
      failures = 0
      schedule()
    }
  }
  addEventListener('online', resume)
  document.addEventListener('visibilitychange', resume)

  const auth: AuthClient = {
    ready,
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    on(event, listener) {
      const bucket = handlers.get(event) ?? new Set()
      handlers.set(event, bucket)
      bucket.add(listener as (p: never) => void)
      return () => void bucket.delete(listener as (p: never) => void)
    },

    async login(opts = {}) {
      // Opened before any await, while the click that called us still counts as a user gesture.
      const usePopup = opts.popup ?? fellBack
      const popup = usePopup
        ? (window.open('about:blank', LOGIN_POPUP, 'popup,width=520,height=680') ?? undefined)
        : undefined
      try {
        if (usePopup && !popup) {
          throw new CallbackError(
            'The browser blocked the login popup: call login() from a click handler.',
            'popup_blocked',
          )
        }
        return await (await import('./authorize.js')).login(ctx, opts, popup)
      } catch (err) {
        popup?.close()
        throw ctx.report(toAuthError(err, 'Login'))
      }
    },

    isCallback(url = location.href) {
      const p = new URL(url).searchParams
      return !delegated() && p.has('state') && (p.has('code') || p.has('error'))
    },

    handleRedirectCallback(url = location.href) {
      const u = new URL(url)
      const params = new URLSearchParams(u.searchParams)
      if (delegated()) {
        return Promise.reject(
          new CallbackError(
            'This window only carries the response to the one waiting for it.',
            'in_helper_window',
          ),
        )
      }
      // Clean the address bar first: nothing may render or fetch with the code in the URL.
      if (OAUTH_PARAMS.some((p) => u.searchParams.has(p))) {
        OAUTH_PARAMS.forEach((p) => u.searchParams.delete(p))
        if (url === location.href) history.replaceState(history.state, '', u.href)
      }
      const state = params.get('state')
      // A second call after the URL was cleaned (StrictMode, a double click) shares the outcome.
      if (!state && lastCallback && url === location.href) return lastCallback
      if (!state) {
        return Promise.reject(
          ctx.report(
            new CallbackError('No login response in the URL: call login() first.', 'no_response'),
          ),
        )
      }
      const key = `cb ${state}`
      let p = ctx.inflight.get(key) as Promise<{ returnTo: string }> | undefined
      if (!p) {
        p = (async () => {
          await ready
          return (await import('./authorize.js')).completeCallback(ctx, params, state)
        })().catch((err) => {
          throw ctx.report(toAuthError(err, 'Completing the login'))
        })
        ctx.inflight.set(key, p) // kept: the same response handled twice has one outcome
      }
      return (lastCallback = p)
    },

    async getAccessToken(opts = {}) {
      if (state.status === 'loading') await ready
      const key = opts.resource ?? cfg.resource ?? ''
      const t = ctx.session?.tokens[key]
      // The hot path: one clock read, no I/O.
      if (!opts.forceRefresh && isFresh(t, cfg.now()) && hasScopes(t.scope, opts.scope))
        return t.accessToken
      if (!ctx.session) throw new LoginRequiredError()
      return (
        await obtain(ctx, key, opts.scope, opts.forceRefresh ? (t?.accessToken ?? '') : undefined)
      ).accessToken
    },

    fetch: (input, init) => authFetch(input, init),

    async logout(opts = {}) {
      if (timer !== undefined) cfg.clearTimeout(timer)
      let run: typeof import('./logout.js').logout
      try {
        // Revocation and RP-initiated logout load on demand; offline, the local logout still happens.
        run = (await import('./logout.js')).logout
      } catch (err) {
        const error = toAuthError(err, 'Logout')
        await ctx.end('logout', error)
        throw ctx.report(error)
      }
      await run(ctx, opts)
    },

    destroy() {
      // No generation bump: a refresh already spent at the server must still be written down.
      destroyed = true
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
    async token(opts) {
      const key = opts.resource ?? cfg.resource ?? ''
      if (opts.stale === undefined) {
        await auth.getAccessToken(opts)
        return ctx.session!.tokens[key]!
      }
      if (!ctx.session) throw new LoginRequiredError()
      return obtain(ctx, key, opts.scope, opts.stale)
    },
    dpop: () => ctx.dpop(false),
  })
  const authFetch = createAuthFetch(auth)
  return auth
}
