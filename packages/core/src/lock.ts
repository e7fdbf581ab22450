import type { TokenStore } from './storage.js'
import { TimeoutError } from './errors.js'

const LEASE = 'lease'
interface Lease {
  id: string
  until: number
}

/**
 * Runs `fn` while no other tab of this origin runs it for the same name. Web Locks where the
 * browser has them (every current one); otherwise a lease record in the shared store, written then
 * read back, so two tabs do not both spend one refresh token. Waits are bounded by `timeoutMs`.
 */
export async function withLock<T>(
  name: string,
  store: TokenStore | undefined,
  timeoutMs: number,
  sleep: (ms: number) => Promise<void>,
  fn: () => Promise<T>,
): Promise<T> {
  const locks = globalThis.navigator?.locks
  if (locks) {
    try {
      return await locks.request(name, { signal: AbortSignal.timeout(timeoutMs) }, fn)
    } catch (err) {
      if (
        err instanceof DOMException &&
        (err.name === 'TimeoutError' || err.name === 'AbortError')
      ) {
        throw new TimeoutError('Another tab held the session lock too long. Try again.')
      }
      throw err
    }
  }
  // No shared store (memory): nothing to coordinate with.
  if (!store) return fn()
  const id = crypto.randomUUID()
  const mine = () => ({ id, until: Date.now() + timeoutMs })
  const free = (lease: unknown) => !lease || (lease as Lease).until < Date.now()
  for (let waited = 0; ; waited += 50) {
    if (store.update) {
      await store.update(LEASE, (lease) => (free(lease) ? mine() : lease))
    } else if (free(await store.get(LEASE))) {
      await store.set(LEASE, mine())
      await sleep(25) // best effort: a store without update() cannot compare-and-set
    }
    if (((await store.get(LEASE)) as Lease | undefined)?.id === id) break
    if (waited > timeoutMs)
      throw new TimeoutError('Another tab held the session lease too long. Try again.')
    await sleep(50)
  }
  try {
    return await fn()
  } finally {
    await store.update?.(LEASE, (lease) =>
      (lease as Lease | undefined)?.id === id ? undefined : lease,
    )
    if (!store.update && ((await store.get(LEASE)) as Lease | undefined)?.id === id)
      await store.del(LEASE)
  }
}
