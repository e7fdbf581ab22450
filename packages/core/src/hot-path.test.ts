import { expect, test, vi } from 'vitest'
import { memoryStore, type TokenStore } from './index.js'
import { FakeServer } from './test/fake-server.js'
import { loginFlow, makeClient } from './test/helpers.js'

// The performance contract of the cached path, checked by counting rather than timing: no I/O of
// any kind and exactly one clock read per call.
test('a cached getAccessToken() reads the clock once and touches neither storage nor network', async () => {
  const server = new FakeServer()
  const backing = memoryStore()
  const store: TokenStore = {
    get: vi.fn(backing.get),
    set: vi.fn(backing.set),
    del: vi.fn(backing.del),
    keys: vi.fn(backing.keys),
    update: vi.fn(backing.update),
  }
  const now = vi.fn(() => Date.now())
  const auth = makeClient(server, { storage: store, now })
  await loginFlow(auth, server)
  const requests = server.requests.length
  vi.clearAllMocks()

  const calls = 1000
  const tokens = await Promise.all(Array.from({ length: calls }, () => auth.getAccessToken()))
  expect(new Set(tokens).size).toBe(1)
  expect(now).toHaveBeenCalledTimes(calls)
  for (const method of [store.get, store.set, store.del, store.keys, store.update])
    expect(method).not.toHaveBeenCalled()
  expect(server.requests.length).toBe(requests)
})
