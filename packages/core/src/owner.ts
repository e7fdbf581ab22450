import type { Config } from './config.js'
import { DPoPError, LoginRequiredError, StorageError, type AuthError } from './errors.js'
import { withLock } from './lock.js'
import { readSession, type Session } from './session.js'
import type { TokenStore } from './storage.js'
import { clearTransactions } from './transactions.js'
import type { AuthEvents, AuthState, StorageInfo } from './types.js'

type EndReason = AuthEvents['sessionEnded']['reason']

/**
 * What may write the session, handed out only under the cross-tab lock. `stored` is the session
 * as stored when the lock was taken (this tab's memory when nothing is shared).
 */
export interface Writer {
  readonly stored: Session | undefined
  /** Shows `stored` when another tab changed it since this tab last looked. */
  adopt(): void
  /**
   * Stores `next`, shows it, tells the other tabs. With `base`, a compare-and-set: written only
   * while the stored session is still `base` (same refresh and ID token); returns false otherwise.
   */
  commit(
    next: Session,
    how: { base?: Session; event?: 'loggedIn' | 'tokenRefreshed'; resource?: string },
    warning?: AuthError,
  ): Promise<boolean>
  /** Ends `stored` everywhere: deleted only if it is still the stored one (compare-and-set). */
  end(reason: EndReason, error: AuthError): Promise<void>
}

/** The one module that writes the stored session, the state snapshot and the cross-tab message. */
export interface Owner {
  /** The session this tab shows. Read-only outside this module. */
  readonly session: Session | undefined
  /** Bumped each time the session ends: work started before it is discarded. */
  readonly epoch: number
  /** Bumped by each logout the person asked for, here or in another tab: a login under way yields. */
  readonly logouts: number
  getState(): AuthState
  subscribe(listener: () => void): () => void
  on<E extends keyof AuthEvents>(event: E, listener: (payload: AuthEvents[E]) => void): () => void
  emit<E extends keyof AuthEvents>(event: E, payload: AuthEvents[E]): void
  /** Puts `error` in the state and emits it; returns it for `throw`. */
  report(error: AuthError): AuthError
  /** Start-up: shows the stored session; a DPoP-bound one whose key is gone is ended. */
  restore(keyMatches: (s: Session) => Promise<boolean>): Promise<void>
  /** Runs `fn` under the cross-tab lock with a writer. With `epoch`, refuses once it has moved on. */
  locked<T>(fn: (w: Writer) => Promise<T>, epoch?: number): Promise<T>
  /**
   * Logout, local first: within this tick this tab hands out no token and the other tabs are
   * told; the session, DPoP key and login transactions are being deleted. It does not wait for the
   * lock (a slow refresh elsewhere must not delay it): refreshes commit by compare-and-set, so one
   * that finishes later cannot write the session back. Resolves with the ended session, for
   * revocation.
   */
  logout(reason?: 'logout' | 'idle'): Promise<Session | undefined>
  /** Persistent storage failed: this tab goes on alone, in memory, out of the other tabs' way. */
  isolate(reason: string): void
  destroy(): void
}

/** Same login and same refresh token: the compare in compare-and-set. */
const same = (a: Session | undefined, b: Session | undefined) =>
  !!a && !!b && a.refreshToken === b.refreshToken && a.idToken === b.idToken

export function createOwner(
  cfg: Config,
  store: TokenStore,
  storage: StorageInfo,
  browser: boolean,
  hooks: { ended(): void; changed(): void },
): Owner {
  let session: Session | undefined
  let epoch = 0
  let logouts = 0
  let destroyed = false
  // A tab whose sessions are its own (memory storage) shares neither messages nor the lock.
  let isolated = storage.type === 'memory'
  let state: AuthState = { status: 'loading', user: null, expiresAt: null, error: null, storage }
  const listeners = new Set<() => void>()
  const handlers = new Map<string, Set<(payload: never) => void>>()
  const tabLock = `oauth-spa:${cfg.ns}:${Math.random()}`
  let channel =
    browser && typeof BroadcastChannel === 'function' && !isolated
      ? new BroadcastChannel(`oauth-spa:${cfg.ns}`)
      : undefined

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
  function show(s: Session | undefined, error: AuthError | null = null) {
    session = s
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
    hooks.changed()
  }
  const post = (type: 'session' | 'logout') => channel?.postMessage({ type })
  const emit: Owner['emit'] = (event, payload) =>
    handlers.get(event)?.forEach((h) => guard(() => (h as (p: typeof payload) => void)(payload)))
  const report = (error: AuthError) => {
    set({ error })
    emit('error', { error })
    return error
  }
  /** This tab's side of an end: nothing handed out from here on. */
  function drop(reason: EndReason, error?: AuthError) {
    const had = session
    epoch++
    hooks.ended()
    show(undefined, error)
    if (had) emit('sessionEnded', { reason, error })
  }
  const read = async () => readSession(await store.get('session'), cfg.ns)

  if (channel) {
    channel.onmessage = async (e: MessageEvent<{ type?: string }>) => {
      if (isolated) return
      if (e.data?.type === 'logout') {
        logouts++
        return drop('other_tab')
      }
      if (e.data?.type !== 'session') return
      // Messages only say "look again": the stored session is the truth.
      const at = epoch
      const s = await read().catch(() => session)
      if (at !== epoch) return
      if (s) show(s)
      else if (session) drop('other_tab')
    }
  }

  function locked<T>(fn: (w: Writer) => Promise<T>, expected?: number): Promise<T> {
    const name = isolated ? tabLock : `oauth-spa:${cfg.ns}`
    // Long enough for discovery and a grant, each with its nonce retry.
    return withLock(name, isolated ? undefined : store, cfg.timeout * 5, sleep, async () => {
      if (expected !== undefined && expected !== epoch)
        throw new LoginRequiredError('Logged out meanwhile.')
      const stored = isolated ? session : await read()
      const w: Writer = {
        stored,
        adopt() {
          if (stored && JSON.stringify(stored) !== JSON.stringify(session)) show(stored)
        },
        async commit(next, { base, event, resource }, warning) {
          let written = !base
          if (base) {
            await store.update('session', (old) => {
              written = isolated ? same(session, base) : same(readSession(old, cfg.ns), base)
              return written ? next : old
            })
          } else await store.set('session', next)
          if (!written) return false
          show(next, warning)
          post('session')
          if (event === 'loggedIn') emit('loggedIn', { user: next.user })
          if (event === 'tokenRefreshed' && resource !== undefined) {
            const expiresAt = next.tokens[resource]!.expiresAt
            emit('tokenRefreshed', { resource, expiresAt })
          }
          return true
        },
        async end(reason, error) {
          let deleted = false
          await store.update('session', (old) => {
            deleted = isolated || same(readSession(old, cfg.ns), stored)
            return deleted ? undefined : old
          })
          // Under the lock nobody writes in between: the emptied record can go.
          if (deleted) await store.del('session')
          drop(reason, error)
          // Not 'logout': the other tabs look at the store, which may hold a newer login by now.
          post('session')
        },
      }
      return fn(w)
    })
  }
  const sleep = (ms: number) => new Promise<void>((r) => cfg.setTimeout(r, ms))

  return {
    get session() {
      return session
    },
    get epoch() {
      return epoch
    },
    get logouts() {
      return logouts
    },
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
    emit,
    report,
    async restore(keyMatches) {
      if (destroyed) return
      const at = epoch
      let s: Session | undefined
      let error: AuthError | null = null
      try {
        s = await read()
      } catch (err) {
        error = new StorageError(
          `The stored session could not be read (${(err as Error)?.message}).`,
        )
      }
      if (destroyed) return
      // A logout that happened while storage was read wins.
      if (at !== epoch) return void (state.status === 'loading' && show(undefined))
      // Tokens bound to a key that is gone, or was replaced, are useless: end cleanly.
      if (s && !(await keyMatches(s).catch(() => false))) {
        const gone = new DPoPError('The DPoP key of the stored session is gone: call login().')
        return locked((w) => (w.stored ? w.end('invalid_session', gone) : Promise.resolve())).then(
          () => void (state.status === 'loading' && show(undefined, gone)),
          (err: AuthError) => void show(undefined, err),
        )
      }
      show(s, error ?? state.error)
    },
    locked,
    async logout(reason = 'logout') {
      const had = session
      logouts++
      drop(reason)
      post('logout')
      // Issued in this order in this tick: the read sees the session the deletes then remove.
      const results = await Promise.allSettled([
        store.get('session'),
        store.del('session'),
        store.del('dpop'),
        clearTransactions(store),
      ])
      const failed = results.find((r) => r.status === 'rejected')
      if (failed) {
        const reason = (failed.reason as Error)?.message
        report(new StorageError(`The stored session could not be deleted (${reason}).`))
      }
      const taken = results[0].status === 'fulfilled' ? results[0].value : undefined
      return readSession(taken, cfg.ns) ?? had
    },
    isolate(reason) {
      isolated = true
      channel?.close()
      channel = undefined
      set({ storage: { type: 'memory', fallbackReason: reason } })
    },
    destroy() {
      destroyed = true
      channel?.close()
      channel = undefined
      listeners.clear()
      handlers.clear()
    },
  }
}
