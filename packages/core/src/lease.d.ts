import type { TokenStore } from './storage.js'
/**
 * The cross-tab lock where Web Locks are missing: a lease record in the shared store, taken by an
 * atomic compare-and-set (`store.update`, one IndexedDB transaction). Expires after `timeoutMs`, so
 * a closed tab cannot hold it.
 */
export declare function withLease<T>(
  store: TokenStore,
  timeoutMs: number,
  sleep: (ms: number) => Promise<void>,
  fn: () => Promise<T>,
): Promise<T>
