import type * as oauth from 'oauth4webapi'
import type { Config } from './config.js'
import type { StoredToken } from './session.js'
/** What `createAuthFetch` needs from a client, kept off its public surface. */
export interface Internals {
  cfg: Config
  /** `stale`: the token the server just rejected; another valid one, or a refresh, replaces it. */
  token(opts: { resource?: string; scope?: string; stale?: string }): Promise<StoredToken>
  dpop(): Promise<oauth.DPoPHandle | undefined>
}
export declare const internals: WeakMap<object, Internals>
