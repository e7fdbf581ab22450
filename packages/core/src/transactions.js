/** Login transactions live ten minutes; older ones are swept on the next login. */
export const TRANSACTION_TTL = 600_000
const PREFIX = 'tx:'
export async function saveTransaction(store, tx, now) {
  await Promise.all(
    (await store.keys())
      .filter((k) => k.startsWith(PREFIX))
      .map(async (k) => {
        const old = await store.get(k)
        if (!(now - (old?.createdAt ?? 0) < TRANSACTION_TTL)) await store.del(k)
      }),
  )
  await store.set(PREFIX + tx.state, tx)
}
/**
 * Reads and deletes in one go (`update`, one IndexedDB transaction): a state is usable once,
 * whatever the outcome, and two tabs opening the same callback URL cannot both get it.
 */
export async function takeTransaction(store, state) {
  const key = PREFIX + state
  let tx
  await store.update(key, (old) => {
    tx = old
    return undefined
  })
  if (tx === undefined) return undefined
  await store.del(key)
  const t = tx
  return t?.v === 1 && t.state === state && typeof t.verifier === 'string' ? t : undefined
}
export const clearTransactions = async (store) => {
  await Promise.all(
    (await store.keys()).filter((k) => k.startsWith(PREFIX)).map((k) => store.del(k)),
  )
}
//# sourceMappingURL=transactions.js.map
