import { decide, type Asked, type Verdict } from './classify.js'
import type { Config } from './config.js'
import type { AuthError } from './errors.js'
import type { Session } from './session.js'

/** setTimeout fires at once beyond this. */
const MAX_TIMER = 2 ** 31 - 1

/**
 * When to refresh: ahead of expiry on a timer, and never inside a backoff window. The window
 * applies to every caller: `getAccessToken()` and `auth.fetch` reject at once with the last error
 * while it lasts, so a UI that polls during an outage sends nothing.
 */
export interface Scheduler {
  /** The error to reject with, at once, while backing off. */
  blocked(): AuthError | undefined
  /** When the backoff window ends (0 or past: none). */
  until(): number
  /** Counts a failure and decides (see `decide`); a retry opens the backoff window. */
  failed(error: AuthError, how: Asked): Verdict
  succeeded(): void
  /** Plans the background refresh for `session` (or stops it). */
  plan(session: Session | undefined): void
  /** Back online or visible again: timers lie after sleep, look now. */
  resume(online: boolean): void
  stop(): void
}

export function createScheduler(cfg: Config, refresh: () => void): Scheduler {
  let timer: unknown
  let failures = 0
  let until = 0
  let last: AuthError | undefined
  let current: Session | undefined
  let stopped = false
  const clear = () => {
    if (timer !== undefined) cfg.clearTimeout(timer)
    timer = undefined
  }
  const self: Scheduler = {
    blocked: () => (cfg.now() < until ? last : undefined),
    until: () => until,
    failed(error, how) {
      const verdict = decide(error, failures, how)
      if (verdict.action === 'retry') {
        failures++
        until = cfg.now() + verdict.afterMs
        last = error
        self.plan(current)
      }
      return verdict
    },
    succeeded() {
      failures = 0
      until = 0
    },
    plan(s) {
      current = s
      clear()
      const t = s?.tokens[cfg.resource ?? '']
      if (stopped || !cfg.autoRefresh || !t || !s?.refreshToken) return
      const now = cfg.now()
      const ms = Math.max(t.expiresAt - t.leeway - now, until - now)
      timer = cfg.setTimeout(
        () => {
          timer = undefined
          // Hidden pages wait: `visibilitychange` resumes.
          if (document.visibilityState !== 'hidden') refresh()
        },
        Math.min(MAX_TIMER, Math.max(0, ms)),
      )
    },
    resume(online) {
      // Back online: a network failure says nothing any more. A server's Retry-After still holds.
      if (online && !(last as { retryAfter?: number } | undefined)?.retryAfter) failures = until = 0
      if (document.visibilityState === 'visible') self.plan(current)
    },
    stop() {
      stopped = true
      clear()
    },
  }
  return self
}
