import { AuthError, LoginRequiredError } from './errors.js'
/**
 * Maps whatever oauth4webapi or `fetch` threw to one of our typed errors. Server responses are
 * never attached as `cause`: they may carry tokens.
 */
export declare function toAuthError(err: unknown, what: string): AuthError
/** What to do with the session after a refresh (or silent renewal) failed. */
export type Verdict =
  /** The server refused the grant: the session is over, in every tab. */
  | {
      action: 'end'
      error: LoginRequiredError
    }
  /** A passing fault: keep the session, send nothing before `afterMs`, then try again. */
  | {
      action: 'retry'
      afterMs: number
      error: AuthError
    }
  /** Keep the session and the token, refuse this call (scopes that need a new login). */
  | {
      action: 'keep'
      error: AuthError
    }
/** The longest wait, whatever `Retry-After` says. */
export declare const MAX_BACKOFF = 300000
/** Silent renewals that time out (third-party cookies or framing blocked) before we give up. */
export declare const SILENT_ATTEMPTS = 3
/**
 * The one decision on a failed refresh, used by the background timer and by on-demand calls alike.
 * `failures` counts the failures before this one; `silent` is true for iframe renewal; `scope` is
 * what the call asked for beyond the login's scopes.
 */
export declare function decide(
  error: AuthError,
  failures: number,
  {
    silent,
    scope,
  }?: {
    silent?: boolean
    scope?: string
  },
): Verdict
