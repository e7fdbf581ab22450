import type * as oauth from 'oauth4webapi'
import type { Config } from './config.js'
import type { StoredToken } from './session.js'

/** What `createAuthFetch` needs from a client, kept off its public surface. */
export interface Internals {
  cfg: Config
  /** `stale`: the token the server just rejected; another valid one, or a refresh, replaces it. */
  token(opts: { resource?: string; scope?: string; stale?: string }): Promise<StoredToken>
  dpop(): Promise<oauth.DPoPHandle | undefined>
  /** When a failed refresh may be tried again (the end of the backoff window). */
  retryAt(): number
}

export const internals = new WeakMap<object, Internals>()
