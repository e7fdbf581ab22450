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
export const TRANSACTION_TTL = 600_000
const PREFIX = 'tx:'

export async function saveTransaction(
  store: TokenStore,
  tx: Transaction,
  now: number,
): Promise<void> {
  await Promise.all(
    (await store.keys())
      .filter((k) => k.startsWith(PREFIX))
      .map(async (k) => {
        const old = (await store.get(k)) as Transaction | undefined
        if (!(now - (old?.createdAt ?? 0) < TRANSACTION_TTL)) await store.del(k)
      }),
  )
  await store.set(PREFIX + tx.state, tx)
}

/**
 * Reads and deletes in one go (`update`, one IndexedDB transaction): a state is usable once,
 * whatever the outcome, and two tabs opening the same callback URL cannot both get it.
 */
export async function takeTransaction(
  store: TokenStore,
  state: string,
): Promise<Transaction | undefined> {
  const key = PREFIX + state
  let tx: unknown
  await store.update(key, (old) => {
    tx = old
    return undefined
  })
  if (tx === undefined) return undefined
  await store.del(key)
  const t = tx as Transaction
  return t?.v === 1 &&
    t.state === state &&
    typeof t.verifier === 'string' &&
    Number.isFinite(t.createdAt)
    ? t
    : undefined
}

export const clearTransactions = async (store: TokenStore): Promise<void> => {
  await Promise.all(
    (await store.keys()).filter((k) => k.startsWith(PREFIX)).map((k) => store.del(k)),
  )
}
