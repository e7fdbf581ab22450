import type { TokenStore } from './storage.js'
/** What must survive the trip to the authorization server and back. Keyed by its own `state`. */
export interface Transaction {
  v: 1
  state: string
  verifier: string
  nonce?: string
  issuer: string
  redirectUri: string
  returnTo: string
  scope: string
  resource?: string
  maxAge?: number
  createdAt: number
}
/** Login transactions live ten minutes; older ones are swept on the next login. */
export declare const TRANSACTION_TTL = 600000
export declare function saveTransaction(
  store: TokenStore,
  tx: Transaction,
  now: number,
): Promise<void>
/**
 * Reads and deletes in one go (`update`, one IndexedDB transaction): a state is usable once,
 * whatever the outcome, and two tabs opening the same callback URL cannot both get it.
 */
export declare function takeTransaction(
  store: TokenStore,
  state: string,
): Promise<Transaction | undefined>
export declare const clearTransactions: (store: TokenStore) => Promise<void>
