import type { Config } from './config.js'
import { type AuthError } from './errors.js'
import { type Session } from './session.js'
import type { TokenStore } from './storage.js'
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
    how: {
      base?: Session
      event?: 'loggedIn' | 'tokenRefreshed'
      resource?: string
    },
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
  logout(): Promise<Session | undefined>
  /** Persistent storage failed: this tab goes on alone, in memory, out of the other tabs' way. */
  isolate(reason: string): void
  destroy(): void
}
export declare function createOwner(
  cfg: Config,
  store: TokenStore,
  storage: StorageInfo,
  hooks: {
    ended(): void
    changed(): void
  },
): Owner
export {}
