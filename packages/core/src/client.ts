import * as oauth from 'oauth4webapi'
import { resolveConfig, type AuthClientOptions } from './config.js'
import { LOGIN_POPUP, POPUP_STATE, SILENT_FRAME, type Ctx } from './context.js'
import { discover } from './discovery.js'
import { CallbackError, ConfigurationError, LoginRequiredError, StorageError } from './errors.js'
import { toAuthError } from './classify.js'
import { createAuthFetch } from './fetch.js'
import { internals } from './internals.js'
import { createOwner } from './owner.js'
import { obtain } from './refresh.js'
import { createScheduler } from './scheduler.js'
import { isFresh, pick } from './session.js'
import { indexedDbStore, memoryStore, withFallback, type TokenStore } from './storage.js'
import type { AuthClient, StorageInfo } from './types.js'
import type { AccessTokenResult } from './watch.js'

/**
 * Inside our own silent-renewal iframe the app leaves the authorization response alone: the
 * window that made the iframe reads it from the URL. (A login popup's callback page hands it
 * over: see `handleRedirectCallback`.)
 */
const delegated = () => !!window.frameElement?.hasAttribute(SILENT_FRAME)

const OAUTH_PARAMS = [
  'code',
  'state',
  'iss',
  'session_state',
  'error',
  'error_description',
  'error_uri',
]
/** Offsets below this are network latency, not a clock that is off. */
const MIN_SKEW = 10
const IDLE: AccessTokenResult = Object.freeze({ token: undefined, error: null, status: 'idle' })
/** `URL.parse` for browsers from before 2024. */
const parseUrl = (url: string | undefined) => {
  try {
    return new URL(url!)
  } catch {
    return undefined
  }
}
const inBrowser = () => typeof window === 'object' && typeof document === 'object'

/**
 * Creates the client. It reads the stored session (IndexedDB, never the network); nothing it
 * starts outlives {@link AuthClient.destroy}. On a server (server rendering) it starts nothing and
 * touches no browser API: its state stays `loading`, the same snapshot every time, and the
 * methods that need a browser say so.
 *
 * The client is a facade: `owner.ts` owns the session (stored record, state, cross-tab
 * messages), `scheduler.ts` decides when to refresh, `refresh.ts`, `authorize.ts` and
 * `logout.ts` run the protocol.
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
            owner.isolate(reason)
            owner.report(
              new StorageError(
                `Storage failed (${reason}): the session lives in this tab's memory only.`,
              ),
            )
            owner.emit('storageFallback', { reason })
          },
        )

  let server: Promise<oauth.AuthorizationServer> | undefined
  let dpopHandle: Promise<oauth.DPoPHandle | undefined> | undefined
  let destroyed = false
  let lastCallback: Promise<{ returnTo: string }> | undefined
  /** Device logins polling: `destroy()` stops them. */
  const devices = new Set<() => void>()

  const browser = inBrowser()
  const owner = createOwner(cfg, store, { type }, browser, {
    // A session that ends takes its DPoP key handle with it (logout deletes the key).
    ended: () => (dpopHandle = undefined),
    changed: () => {
      const s = owner.session
      if (s?.skew !== undefined) ctx.skew(s.skew)
      sched.plan(destroyed ? undefined : s)
      idle?.check()
    },
  })
  const sched = createScheduler(cfg, () => {
    obtain(ctx, cfg.resource ?? '', undefined).catch(() => {
      // Decided and reported inside: ended, or kept with a backoff the scheduler now waits out.
    })
  })

  const ctx: Ctx = {
    cfg,
    client: { client_id: cfg.clientId, [oauth.clockTolerance]: cfg.clockTolerance },
    store,
    owner,
    sched,
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
          ctx.client,
        )
      // Chained, not awaited first: concurrent callers share one key pair.
      const p = (dpopHandle = dpopHandle ? dpopHandle.then((h) => h ?? fresh()) : fresh())
      p.catch(() => dpopHandle === p && (dpopHandle = undefined))
      return p
    },
    durable: () => !fellBack,
    skew(seconds) {
      if (seconds === undefined) return
      const next = Math.abs(seconds) < MIN_SKEW ? 0 : seconds
      if (next === (ctx.client[oauth.clockSkew] ?? 0)) return
      ctx.client[oauth.clockSkew] = next
      // DPoP handles read the offset when made: the next proof comes from a new one.
      dpopHandle = undefined
    },
  }

  // ---- start-up: storage only, never the network; on a server, nothing at all ----------------
  const ready = browser
    ? owner.restore(async (s) =>
        s.dpop ? (await (await ctx.dpop(false))?.calculateThumbprint()) === s.jkt : true,
      )
    : Promise.resolve()
  const needsBrowser = (what: string) => {
    if (!browser) throw new ConfigurationError(`${what} runs in the browser, not on the server.`)
  }

  // Timers lie after a laptop sleeps: look again when the page comes back or the network does.
  const online = () => sched.resume(true)
  const visible = () => sched.resume(false)
  if (browser) {
    addEventListener('online', online)
    document.addEventListener('visibilitychange', visible)
  }

  // Logout after inactivity, shared by every tab: loaded only when asked for.
  let idle: { check(loggedIn?: boolean): void; stop(): void } | undefined
  if (browser && cfg.idleTimeout) {
    void import('./idle.js').then((m) => {
      if (destroyed) return
      idle = m.watchIdle(cfg, {
        active: () => !!owner.session,
        expire: () => void logout({ localOnly: true }, 'idle').catch(() => {}),
        emit: owner.emit,
      })
      owner.on('loggedIn', () => idle?.check(true))
    })
  }

  async function getAccessToken(opts: Parameters<AuthClient['getAccessToken']>[0] = {}) {
    if (owner.getState().status === 'loading') await ready
    const resource = opts.resource ?? cfg.resource ?? ''
    const t = pick(owner.session, resource, opts.scope)
    // The hot path: one clock read, no I/O.
    if (!opts.forceRefresh && isFresh(t, cfg.now())) return t
    if (!owner.session) throw new LoginRequiredError()
    return obtain(ctx, resource, opts.scope, opts.forceRefresh ? (t?.accessToken ?? '') : undefined)
  }

  async function logout(opts: Parameters<AuthClient['logout']>[0] = {}, reason: 'logout' | 'idle') {
    needsBrowser('logout()')
    // Before anything that can wait: the DPoP handle (for revocation) is read before its key is
    // deleted, then this tab, the stored records and the other tabs are cleared at once.
    const DPoP = ctx.dpop(false).catch(() => undefined)
    const ended = await owner.logout(reason)
    let run: typeof import('./logout.js').logout
    try {
      // Revocation and RP-initiated logout load on demand; offline, the local logout stands.
      run = (await import('./logout.js')).logout
    } catch (err) {
      throw owner.report(toAuthError(err, 'Logout'))
    }
    await run(ctx, opts, ended, await DPoP)
  }

  const auth: AuthClient = {
    ready,
    getState: owner.getState,
    subscribe: owner.subscribe,
    on: owner.on,

    async login(opts = {}) {
      needsBrowser('login()')
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
        throw owner.report(toAuthError(err, 'Login'))
      }
    },

    isCallback(url = browser ? location.href : undefined) {
      const p = parseUrl(url)?.searchParams
      if (!p) return false
      return !delegated() && p.has('state') && (p.has('code') || p.has('error'))
    },

    handleRedirectCallback(url = browser ? location.href : '') {
      handled = true
      if (!browser)
        return Promise.reject(
          new ConfigurationError(
            'handleRedirectCallback() runs in the browser, not on the server.',
          ),
        )
      const u = parseUrl(url)
      if (!u) {
        const error = new CallbackError('The callback URL is not a URL.', 'invalid_response')
        return Promise.reject(owner.report(error))
      }
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
          owner.report(
            new CallbackError('No login response in the URL: call login() first.', 'no_response'),
          ),
        )
      }
      const key = `cb ${state}`
      let p = ctx.inflight.get(key) as Promise<{ returnTo: string }> | undefined
      if (!p) {
        p = (async () => {
          // A popup login's response belongs to the window that started it (it holds the PKCE
          // verifier): handed over, even where COOP cut this popup off from its opener.
          if (state.startsWith(POPUP_STATE))
            return (await import('./popup.js')).handOver(cfg, params, state)
          await ready
          return (await import('./authorize.js')).completeCallback(ctx, params, state)
        })().catch((err) => {
          throw owner.report(toAuthError(err, 'Completing the login'))
        })
        ctx.inflight.set(key, p) // kept: the same response handled twice has one outcome
      }
      return (lastCallback = p)
    },

    async deviceLogin(opts = {}) {
      try {
        await ready
        const d = await (await import('./device.js')).deviceLogin(ctx, opts)
        devices.add(d.cancel)
        d.result.then(
          () => devices.delete(d.cancel),
          () => devices.delete(d.cancel),
        )
        return d
      } catch (err) {
        throw owner.report(toAuthError(err, 'Device login'))
      }
    },

    getAccessToken: async (opts) => (await getAccessToken(opts)).accessToken,

    watchAccessToken(opts, listener) {
      // The observer loads on demand (apps that use it: the React and Vue hooks).
      listener(IDLE)
      if (!browser) return () => {}
      let stop: (() => void) | undefined
      let stopped = false
      void import('./watch.js').then((m) => {
        if (!stopped) stop = m.watchAccessToken(auth, opts ?? {}, listener, true)
      })
      return () => {
        stopped = true
        stop?.()
      }
    },

    fetch: (input, init) => authFetch(input, init),

    logout: (opts = {}) => logout(opts, 'logout'),

    destroy() {
      // No epoch bump: a refresh already spent at the server must still be written down.
      destroyed = true
      devices.forEach((cancel) => cancel())
      sched.stop()
      idle?.stop()
      owner.destroy()
      cfg.clearTimeout(unhandled)
      if (!browser) return
      removeEventListener('online', online)
      document.removeEventListener('visibilitychange', visible)
    },
  }

  // A login response left in the URL is a bug of the app's: a development build says so.
  let handled = false
  const unhandled =
    browser && auth.isCallback() && location.pathname === new URL(cfg.redirectUri).pathname
      ? cfg.setTimeout(() => {
          if (!handled && !destroyed)
            import('./dev.js').then(
              (m) => m.unhandledCallback(cfg.ns, location.pathname),
              () => {},
            )
        }, 3000)
      : undefined

  internals.set(auth, {
    cfg,
    token: (opts) =>
      opts.stale === undefined
        ? getAccessToken(opts)
        : owner.session
          ? obtain(ctx, opts.resource ?? cfg.resource ?? '', opts.scope, opts.stale)
          : Promise.reject(new LoginRequiredError()),
    dpop: () => ctx.dpop(false),
    retryAt: sched.until,
  })
  const authFetch = createAuthFetch(auth)
  return auth
}
