import { TimeoutError } from './errors.js'
/**
 * Runs `fn` while no other tab of this origin runs it for the same name. Web Locks where the
 * browser has them (every current one); otherwise a lease record in the shared store (see
 * lease.ts), so two tabs do not both spend one refresh token. Waits are bounded by `timeoutMs`.
 */
export async function withLock(name, store, timeoutMs, sleep, fn) {
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
  // Browsers without Web Locks are rare: their fallback loads on demand.
  return (await import('./lease.js')).withLease(store, timeoutMs, sleep, fn)
}
//# sourceMappingURL=lock.js.map
