import type { AuthError } from './errors.js'
import { internals } from './internals.js'
import type { AuthClient, GetAccessTokenOptions } from './types.js'

/** What {@link AuthClient.watchAccessToken} hands its listener: one immutable snapshot. */
export interface AccessTokenResult {
  /** The token; kept while a new one is asked for, gone once the session is. */
  token: string | undefined
  /** What `getAccessToken` threw: `LoginRequiredError` when logged out, or a passing fault. */
  error: AuthError | null
  /**
   * `idle` before the first answer can be asked for (server rendering, storage not read yet),
   * `loading` while asking, `ready` with a token, `error` with an error.
   */
  status: 'idle' | 'loading' | 'ready' | 'error'
}

/** `forceRefresh` is left out: asked again on every new token, it would refresh forever. */
export type WatchAccessTokenOptions = Omit<GetAccessTokenOptions, 'forceRefresh'>

const IDLE: AccessTokenResult = Object.freeze({ token: undefined, error: null, status: 'idle' })
/** setTimeout fires at once beyond this. */
const MAX_TIMER = 2 ** 31 - 1

/**
 * The token observer both bindings wrap: asks `client.getAccessToken(options)` when the session
 * changes (login, refresh, logout) and again when the token it holds goes stale, so a listener
 * never keeps an expired token, whether or not the client refreshes on a timer. The listener is
 * called at once with the current result, then on each change, with the same object while nothing
 * changed. Answers to an earlier question are dropped.
 */
export function watchAccessToken(
  client: AuthClient,
  options: WatchAccessTokenOptions,
  listener: (result: AccessTokenResult) => void,
  /** The caller already gave the listener the `idle` result. */
  announced = false,
): () => void {
  let result = IDLE
  let asked = 0
  let timer: unknown
  let key = ''
  const { resource, scope } = options
  const emit = (next: AccessTokenResult) => {
    if (next.token === result.token && next.error === result.error && next.status === result.status)
      return
    result = Object.freeze(next)
    listener(result)
  }
  // The client's clock and timers when it is ours (tests drive them), else the platform's.
  const cfg = internals.get(client)?.cfg
  const now = cfg?.now ?? Date.now
  const later = cfg?.setTimeout ?? ((fn: () => void, ms: number) => setTimeout(fn, ms))
  const cancel = cfg?.clearTimeout ?? ((id: unknown) => clearTimeout(id as number))
  const again = (ms: number) => (timer = later(() => void ask(), Math.min(MAX_TIMER, ms)))
  /** The end of the client's backoff window after a failed refresh (0: none). */
  const retryAt = () => internals.get(client)?.retryAt() ?? 0

  async function ask() {
    const mine = ++asked
    cancel(timer)
    const state = client.getState()
    emit({
      token: state.status === 'authenticated' ? result.token : undefined,
      error: null,
      status: 'loading',
    })
    try {
      const token = await client.getAccessToken({ resource, scope })
      if (mine !== asked) return
      emit({ token, error: null, status: 'ready' })
      // Ask again when this token stops being handed out (the client then refreshes it).
      const stored = await internals.get(client)?.token({ resource, scope })
      if (mine !== asked || !stored) return
      again(Math.max(1000, stored.expiresAt - stored.leeway - now()))
    } catch (err) {
      if (mine !== asked) return
      emit({ token: undefined, error: err as AuthError, status: 'error' })
      // A passing fault (the network, the server's trouble): ask again once the client's backoff
      // is over. Logged out, or a scope that needs a login: the session's next change asks.
      const wait = retryAt() - now()
      if (wait > 0 && client.getState().status === 'authenticated') again(Math.max(1000, wait))
    }
  }

  const changed = () => {
    const s = client.getState()
    if (s.status === 'loading') return
    // Only what changes the answer: who is logged in and when the default token expires.
    const next = `${s.status} ${s.user?.sub} ${s.expiresAt}`
    if (next === key) return
    key = next
    void ask()
  }
  if (!announced) listener(result)
  if (typeof window === 'undefined') return () => {}
  const unsubscribe = client.subscribe(changed)
  changed()
  return () => {
    asked++
    cancel(timer)
    unsubscribe()
  }
}
