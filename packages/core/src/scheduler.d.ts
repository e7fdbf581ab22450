import { type Verdict } from './classify.js'
import type { Config } from './config.js'
import type { AuthError } from './errors.js'
import type { Session } from './session.js'
/**
 * When to refresh: ahead of expiry on a timer, and never inside a backoff window. The window
 * applies to every caller: `getAccessToken()` and `auth.fetch` reject at once with the last error
 * while it lasts, so a UI that polls during an outage sends nothing.
 */
export interface Scheduler {
  /** The error to reject with, at once, while backing off. */
  blocked(): AuthError | undefined
  /** Counts a failure and decides (see `decide`); a retry opens the backoff window. */
  failed(
    error: AuthError,
    how: {
      silent?: boolean
      scope?: string
    },
  ): Verdict
  succeeded(): void
  /** Plans the background refresh for `session` (or stops it). */
  plan(session: Session | undefined): void
  /** Back online or visible again: timers lie after sleep, look now. */
  resume(online: boolean): void
  stop(): void
}
export declare function createScheduler(cfg: Config, refresh: () => void): Scheduler
