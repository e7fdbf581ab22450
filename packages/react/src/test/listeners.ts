import { vi } from 'vitest'
import type { AuthClient } from '@oauth-spa/core'

/** Spies on `client.subscribe` and counts the listeners still registered. */
export function countListeners(client: AuthClient): () => number {
  const subscribe = client.subscribe
  let live = 0
  vi.spyOn(client, 'subscribe').mockImplementation((listener) => {
    const unsubscribe = subscribe(listener)
    live++
    return () => {
      live--
      unsubscribe()
    }
  })
  return () => live
}
