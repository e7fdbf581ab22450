import type { TokenStore } from './storage.js'
import { TimeoutError } from './errors.js'

const LEASE = 'lease'
interface Lease {
  id: string
  until: number
}

/**
 * The cross-tab lock where Web Locks are missing: a lease record in the shared store, taken by an
 * atomic compare-and-set (`store.update`, one IndexedDB transaction). Expires after `timeoutMs`, so
 * a closed tab cannot hold it.
 */
export async function withLease<T>(
  store: TokenStore,
  timeoutMs: number,
  sleep: (ms: number) => Promise<void>,
  fn: () => Promise<T>,
): Promise<T> {
  const id = crypto.randomUUID()
  const mine = () => ({ id, until: Date.now() + timeoutMs })
  const free = (lease: unknown) => !lease || (lease as Lease).until < Date.now()
  for (let waited = 0; ; waited += 50) {
    await store.update(LEASE, (lease) => (free(lease) ? mine() : lease))
    if (((await store.get(LEASE)) as Lease | undefined)?.id === id) break
    if (waited > timeoutMs)
      throw new TimeoutError('Another tab held the session lease too long. Try again.')
    await sleep(50)
  }
  try {
    return await fn()
  } finally {
    await store.update(LEASE, (lease) =>
      (lease as Lease | undefined)?.id === id ? undefined : lease,
    )
  }
}
