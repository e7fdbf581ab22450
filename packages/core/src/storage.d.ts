/**
 * Where the SDK keeps its records (session, login transactions, DPoP key, cached metadata).
 * Values are structured-cloneable (plain objects, `CryptoKey`s). Implement it to use your own
 * storage; never back it with localStorage, sessionStorage or cookies.
 */
export interface TokenStore {
  get(key: string): Promise<unknown>
  set(key: string, value: unknown): Promise<void>
  del(key: string): Promise<void>
  keys(): Promise<string[]>
  /**
   * Atomic read-modify-write: no other tab's write may land between the read and the write (one
   * IndexedDB readwrite transaction does this). Login transactions are taken with it (a state is
   * usable once), the session is written with it as a compare-and-set, and tabs without Web Locks
   * take their lease with it. Returning `undefined` from `fn` stores `undefined`.
   */
  update(key: string, fn: (old: unknown) => unknown): Promise<void>
}
export declare function memoryStore(): TokenStore
/** One IndexedDB database per issuer + client id, so two clients never share records. */
export declare function indexedDbStore(ns: string): TokenStore
export declare function withFallback(
  primary: TokenStore,
  onFallback: (reason: string) => void,
): TokenStore
