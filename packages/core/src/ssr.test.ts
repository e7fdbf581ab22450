// @vitest-environment node
import { afterEach, expect, test, vi } from 'vitest'
import { ConfigurationError, createAuthClient, type AccessTokenResult } from './index.js'

// Server rendering: the client is created at module level in apps that render on a server first.
const touched: string[] = []
const trap = (name: string) =>
  Object.defineProperty(globalThis, name, {
    configurable: true,
    get() {
      touched.push(name)
      return undefined
    },
  })
const originalChannel = globalThis.BroadcastChannel

afterEach(() => {
  for (const name of ['window', 'document', 'location', 'localStorage', 'indexedDB'])
    Reflect.deleteProperty(globalThis, name)
  globalThis.BroadcastChannel = originalChannel
  touched.length = 0
})

test('creating and using the client on a server touches no browser API, starts nothing, throws nothing', async () => {
  for (const name of ['window', 'document', 'location', 'localStorage', 'indexedDB']) trap(name)
  globalThis.BroadcastChannel = class {
    constructor() {
      touched.push('BroadcastChannel')
    }
  } as unknown as typeof BroadcastChannel
  const setTimeout = vi.fn()
  const fetch = vi.fn()
  const auth = createAuthClient({
    issuer: 'https://as.example',
    clientId: 'ssr',
    redirectUri: 'https://app.example/callback',
    setTimeout,
    fetch,
  })
  const first = auth.getState()
  expect(first).toMatchObject({ status: 'loading', user: null })
  await auth.ready
  expect(auth.getState()).toBe(first) // one stable server snapshot
  expect(auth.isCallback()).toBe(false)
  const seen: AccessTokenResult[] = []
  const stop = auth.watchAccessToken({}, (r) => seen.push(r))
  expect(seen).toEqual([{ token: undefined, error: null, status: 'idle' }])
  stop()
  await expect(auth.login()).rejects.toBeInstanceOf(ConfigurationError)
  await expect(auth.handleRedirectCallback()).rejects.toBeInstanceOf(ConfigurationError)
  await expect(auth.logout()).rejects.toBeInstanceOf(ConfigurationError)
  await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'login_required' })
  auth.destroy()
  expect(touched.filter((n) => n !== 'window' && n !== 'document')).toEqual([])
  expect(setTimeout).not.toHaveBeenCalled()
  expect(fetch).not.toHaveBeenCalled()
})

test('the package imports in plain Node', async () => {
  const core = await import('./index.js')
  expect(typeof core.createAuthClient).toBe('function')
})
