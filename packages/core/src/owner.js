import { DPoPError, LoginRequiredError, StorageError } from './errors.js'
import { withLock } from './lock.js'
import { readSession } from './session.js'
import { clearTransactions } from './transactions.js'
/** Same login and same refresh token: the compare in compare-and-set. */
const same = (a, b) => !!a && !!b && a.refreshToken === b.refreshToken && a.idToken === b.idToken
export function createOwner(cfg, store, storage, hooks) {
  let session
  let epoch = 0
  let logouts = 0
  let destroyed = false
  // A tab whose sessions are its own (memory storage) shares neither messages nor the lock.
  let isolated = storage.type === 'memory'
  let state = { status: 'loading', user: null, expiresAt: null, error: null, storage }
  const listeners = new Set()
  const handlers = new Map()
  const tabLock = `oauth-spa:${cfg.ns}:${Math.random()}`
  let channel =
    typeof BroadcastChannel === 'function' && !isolated
      ? new BroadcastChannel(`oauth-spa:${cfg.ns}`)
      : undefined
  /** App code runs outside our control flow: its exceptions surface, but break nothing here. */
  const guard = (fn) => {
    try {
      fn()
    } catch (err) {
      queueMicrotask(() => {
        throw err
      })
    }
  }
  function set(patch) {
    const next = { ...state, ...patch }
    if (Object.keys(next).some((k) => next[k] !== state[k])) {
      state = next
      listeners.forEach(guard)
    }
  }
  function show(s, error = null) {
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
  const post = (type) => channel?.postMessage({ type })
  const emit = (event, payload) => handlers.get(event)?.forEach((h) => guard(() => h(payload)))
  const report = (error) => {
    set({ error })
    emit('error', { error })
    return error
  }
  /** This tab's side of an end: nothing handed out from here on. */
  function drop(reason, error) {
    const had = session
    epoch++
    hooks.ended()
    show(undefined, error)
    if (had) emit('sessionEnded', { reason, error })
  }
  const read = async () => readSession(await store.get('session'), cfg.ns)
  if (channel) {
    channel.onmessage = async (e) => {
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
  function locked(fn, expected) {
    const name = isolated ? tabLock : `oauth-spa:${cfg.ns}`
    // Long enough for discovery and a grant, each with its nonce retry.
    return withLock(name, isolated ? undefined : store, cfg.timeout * 5, sleep, async () => {
      if (expected !== undefined && expected !== epoch)
        throw new LoginRequiredError('Logged out meanwhile.')
      const stored = isolated ? session : await read()
      const w = {
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
            const expiresAt = next.tokens[resource].expiresAt
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
  const sleep = (ms) => new Promise((r) => cfg.setTimeout(r, ms))
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
      bucket.add(listener)
      return () => void bucket.delete(listener)
    },
    emit,
    report,
    async restore(keyMatches) {
      if (destroyed) return
      const at = epoch
      let s
      let error = null
      try {
        s = await read()
      } catch (err) {
        error = new StorageError(`The stored session could not be read (${err?.message}).`)
      }
      if (destroyed) return
      // A logout that happened while storage was read wins.
      if (at !== epoch) return void (state.status === 'loading' && show(undefined))
      // Tokens bound to a key that is gone, or was replaced, are useless: end cleanly.
      if (s && !(await keyMatches(s).catch(() => false))) {
        const gone = new DPoPError('The DPoP key of the stored session is gone: call login().')
        return locked((w) => (w.stored ? w.end('invalid_session', gone) : Promise.resolve())).then(
          () => void (state.status === 'loading' && show(undefined, gone)),
          (err) => void show(undefined, err),
        )
      }
      show(s, error ?? state.error)
    },
    locked,
    async logout() {
      const had = session
      logouts++
      drop('logout')
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
        const reason = failed.reason?.message
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
//# sourceMappingURL=owner.js.map
