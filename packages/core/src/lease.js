import { TimeoutError } from './errors.js'
const LEASE = 'lease'
/**
 * The cross-tab lock where Web Locks are missing: a lease record in the shared store, taken by an
 * atomic compare-and-set (`store.update`, one IndexedDB transaction). Expires after `timeoutMs`, so
 * a closed tab cannot hold it.
 */
export async function withLease(store, timeoutMs, sleep, fn) {
  const id = crypto.randomUUID()
  const mine = () => ({ id, until: Date.now() + timeoutMs })
  const free = (lease) => !lease || lease.until < Date.now()
  for (let waited = 0; ; waited += 50) {
    await store.update(LEASE, (lease) => (free(lease) ? mine() : lease))
    if ((await store.get(LEASE))?.id === id) break
    if (waited > timeoutMs)
      throw new TimeoutError('Another tab held the session lease too long. Try again.')
    await sleep(50)
  }
  try {
    return await fn()
  } finally {
    await store.update(LEASE, (lease) => (lease?.id === id ? undefined : lease))
  }
}
//# sourceMappingURL=lease.js.map
