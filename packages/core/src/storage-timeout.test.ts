import { afterEach, expect, test, vi } from 'vitest'
import { createAuthClient, type TokenStore } from './index.js'

afterEach(() => vi.useRealTimers())

test('a store that never answers (blocked IndexedDB) falls back to memory instead of hanging', async () => {
  vi.useFakeTimers()
  const never = () => new Promise<never>(() => {})
  const hung: TokenStore = { get: never, set: never, del: never, keys: never, update: never }
  const auth = createAuthClient({
    issuer: 'https://as.example',
    clientId: 'hung-store',
    redirectUri: 'http://localhost:5173/callback',
    storage: hung,
    fetch: () => Promise.reject(new TypeError('no network in this test')),
  })
  await vi.advanceTimersByTimeAsync(4900)
  expect(auth.getState().status).toBe('loading')
  await vi.advanceTimersByTimeAsync(200)
  await auth.ready
  expect(auth.getState()).toMatchObject({
    status: 'unauthenticated',
    storage: { type: 'memory', fallbackReason: expect.stringContaining('did not answer') },
  })
  auth.destroy()
})
