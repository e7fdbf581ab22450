import type { TokenStore } from './storage.js'
/**
 * Runs `fn` while no other tab of this origin runs it for the same name. Web Locks where the
 * browser has them (every current one); otherwise a lease record in the shared store (see
 * lease.ts), so two tabs do not both spend one refresh token. Waits are bounded by `timeoutMs`.
 */
export declare function withLock<T>(
  name: string,
  store: TokenStore | undefined,
  timeoutMs: number,
  sleep: (ms: number) => Promise<void>,
  fn: () => Promise<T>,
): Promise<T>
