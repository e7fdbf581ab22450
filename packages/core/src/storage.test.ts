import { afterEach, describe, expect, test, vi } from 'vitest'
import { memoryStore, StorageError } from './index.js'
import { AWAY_SETTLE, CLOSED_GRACE } from './popup.js'
import type { TokenStore } from './index.js'
import { deferred, FakeServer } from './test/fake-server.js'
import type { Reply } from './test/fake-server.js'
import {
  clock,
  errorOf,
  idb,
  loginFlow,
  makeClient,
  settle,
  uniqueClientId,
  until,
  popupLoginFlow,
} from './test/helpers.js'

const HOUR = 3600_000

const dbName = (issuer: string, clientId: string) => `oauth-spa:${issuer}|${clientId}`
const databases = async () => (await indexedDB.databases()).map((d) => d.name)

describe('storage', () => {
  test("storage: 'memory' writes nothing to IndexedDB", async () => {
    const server = new FakeServer()
    const clientId = uniqueClientId()
    const auth = makeClient(server, { clientId, storage: 'memory' })
    await loginFlow(auth, server)
    await auth.getAccessToken()
    expect(auth.getState()).toMatchObject({ status: 'authenticated', storage: { type: 'memory' } })
    expect(await databases()).not.toContain(dbName(server.issuer, clientId))
  })

  test('the default storage is IndexedDB, namespaced by issuer + client id', async () => {
    const server = new FakeServer()
    const clientId = uniqueClientId()
    const auth = makeClient(server, { clientId })
    await loginFlow(auth, server)
    expect(auth.getState().storage).toEqual({ type: 'indexeddb' })
    expect(await databases()).toContain(dbName(server.issuer, clientId))
    const session = (await idb.get(server.issuer, clientId, 'session')) as { refreshToken: string }
    expect(session.refreshToken).toMatch(/^rt-/)
  })

  test('tokens never reach localStorage, sessionStorage or cookies', async () => {
    localStorage.clear()
    sessionStorage.clear()
    const server = new FakeServer()
    const auth = makeClient(server)
    await loginFlow(auth, server)
    const token = await auth.getAccessToken()
    expect(token).toMatch(/^at-/)
    expect(localStorage.length).toBe(0)
    expect(sessionStorage.length).toBe(0)
    expect(document.cookie).toBe('')
  })

  test('a custom TokenStore is used for everything', async () => {
    const server = new FakeServer()
    const inner = memoryStore()
    const auth = makeClient(server, { storage: inner })
    await loginFlow(auth, server)
    expect(auth.getState().storage).toEqual({ type: 'custom' })
    expect(await inner.keys()).toEqual(expect.arrayContaining(['session', 'discovery']))
  })

  test('a failing store → memory fallback with a reason, and login still works', async () => {
    const server = new FakeServer()
    const failing: TokenStore = {
      get: () => Promise.reject(new DOMException('blocked', 'InvalidStateError')),
      set: () => Promise.reject(new DOMException('quota', 'QuotaExceededError')),
      del: () => Promise.reject(new Error('nope')),
      keys: () => Promise.reject(new Error('nope')),
      update: () => Promise.reject(new Error('nope')),
    }
    const reasons: string[] = []
    const auth = makeClient(server, { storage: failing })
    auth.on('storageFallback', (e) => reasons.push(e.reason))
    await auth.ready
    const s = auth.getState()
    expect(s.storage.type).toBe('memory')
    expect(s.storage.fallbackReason).toContain('blocked')
    expect(s.error).toBeInstanceOf(StorageError)
    // A redirect would lose the login kept in memory: it runs in a popup instead.
    const { result, popup } = await popupLoginFlow(auth, server)
    expect(result).toEqual({ returnTo: '/' })
    expect(popup.closed).toBe(true)
    expect(server.navigations).toEqual([])
    expect(auth.getState().status).toBe('authenticated')
    expect(await auth.getAccessToken()).toMatch(/^at-/)
  })

  test('a store that fails only on write: the login is not sent away unsaved; the next one (popup) works', async () => {
    const server = new FakeServer()
    const inner = memoryStore()
    const auth = makeClient(server, {
      storage: {
        ...inner,
        set: () => Promise.reject(new DOMException('full', 'QuotaExceededError')),
      },
    })
    // The transaction could not be saved for the way back: reported, no redirect.
    expect(await errorOf(auth.login())).toBeInstanceOf(StorageError)
    expect(server.navigations).toEqual([])
    await popupLoginFlow(auth, server)
    expect(auth.getState()).toMatchObject({ status: 'authenticated', storage: { type: 'memory' } })
    expect(auth.getState().storage.fallbackReason).toContain('QuotaExceededError')
  })

  test('IndexedDB missing altogether → memory fallback, login works', async () => {
    const saved = globalThis.indexedDB
    // @ts-expect-error: simulate a browser without IndexedDB
    delete globalThis.indexedDB
    try {
      const server = new FakeServer()
      const auth = makeClient(server)
      await auth.ready
      expect(auth.getState().storage.type).toBe('memory')
      expect(auth.getState().storage.fallbackReason).toBeTruthy()
      await popupLoginFlow(auth, server)
      expect(auth.getState().status).toBe('authenticated')
    } finally {
      globalThis.indexedDB = saved
    }
  })

  test('two clients with different client ids do not see each other’s session', async () => {
    const server = new FakeServer()
    const a = makeClient(server, { clientId: uniqueClientId('a') })
    await loginFlow(a, server)
    const b = makeClient(server, { clientId: uniqueClientId('b') })
    await b.ready
    expect(b.getState().status).toBe('unauthenticated')
    await expect(b.getAccessToken()).rejects.toMatchObject({ code: 'login_required' })
  })

  test('the same client id on another issuer does not see the session', async () => {
    const one = new FakeServer()
    const two = new FakeServer({ issuer: 'https://as2.example' })
    const clientId = uniqueClientId()
    await loginFlow(makeClient(one, { clientId }), one)
    const other = makeClient(two, { clientId })
    await other.ready
    expect(other.getState().status).toBe('unauthenticated')
  })
})

describe('cross-tab', () => {
  async function twoTabs() {
    const server = new FakeServer()
    const clientId = uniqueClientId('tabs')
    const c = clock()
    const a = makeClient(server, { clientId, now: c.now })
    await loginFlow(a, server)
    const b = makeClient(server, { clientId, now: c.now })
    await b.ready
    expect(b.getState().status).toBe('authenticated')
    return { server, clientId, c, a, b }
  }

  test('both tabs with an expired token → exactly one refresh (lease), same token', async () => {
    const { server, c, a, b } = await twoTabs()
    c.advance(HOUR)
    const [ta, tb] = await Promise.all([a.getAccessToken(), b.getAccessToken()])
    expect(server.tokenRequests).toHaveLength(2)
    expect(ta).toBe(tb)
  })

  test('three tabs with an expired token → exactly one refresh (lease)', async () => {
    const { server, clientId, c, a, b } = await twoTabs()
    const third = makeClient(server, { clientId, now: c.now })
    await third.ready
    c.advance(HOUR)
    const tokens = await Promise.all([
      a.getAccessToken(),
      b.getAccessToken(),
      third.getAccessToken(),
    ])
    expect(server.tokenRequests).toHaveLength(2)
    expect(new Set(tokens).size).toBe(1)
  })

  test('the lease holds when one tab writes slowly: still exactly one refresh', async () => {
    const server = new FakeServer()
    const clientId = uniqueClientId('slow')
    const shared = memoryStore()
    // Two tabs on one store; the second tab's writes take longer (a busy IndexedDB).
    const tab = (writeDelay: number) => ({
      ...shared,
      set: async (k: string, v: unknown) => {
        if (k === 'lease') await settle(writeDelay)
        return shared.set(k, v)
      },
    })
    const c = clock()
    const a = makeClient(server, { clientId, now: c.now, storage: tab(0) })
    await loginFlow(a, server)
    const b = makeClient(server, { clientId, now: c.now, storage: tab(60) })
    await b.ready
    // The refresh itself takes a moment, as it does over a real network.
    const slow = async (req: Parameters<Reply>[0], srv: FakeServer) => {
      await settle(150)
      return srv.issue(req)
    }
    server.tokenReplies.push(slow, slow)
    c.advance(HOUR)
    const results = await Promise.allSettled([a.getAccessToken(), b.getAccessToken()])
    expect(server.tokenRequests).toHaveLength(2)
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled'])
  })

  describe('with Web Locks', () => {
    const queues = new Map<string, Promise<unknown>>()
    let calls = 0
    const locks = {
      request: (name: string, _opts: unknown, fn: () => Promise<unknown>) => {
        calls++
        const prev = queues.get(name) ?? Promise.resolve()
        const run = prev.then(fn, fn)
        queues.set(
          name,
          run.catch(() => {}),
        )
        return run
      },
    }
    const original = Object.getOwnPropertyDescriptor(navigator, 'locks')
    afterEach(() => {
      if (original) Object.defineProperty(navigator, 'locks', original)
      else Reflect.deleteProperty(navigator, 'locks')
    })

    test('both tabs refresh at once → one refresh request through navigator.locks', async () => {
      Object.defineProperty(navigator, 'locks', { value: locks, configurable: true })
      const { server, c, a, b } = await twoTabs()
      c.advance(HOUR)
      calls = 0
      const [ta, tb] = await Promise.all([a.getAccessToken(), b.getAccessToken()])
      expect(calls).toBeGreaterThanOrEqual(2)
      expect(server.tokenRequests).toHaveLength(2)
      expect(ta).toBe(tb)
    })
  })

  test('a tab that refreshed tells the other, which adopts the new token without a request', async () => {
    const { server, c, a, b } = await twoTabs()
    c.advance(HOUR)
    const token = await a.getAccessToken()
    await until(() => b.getState().expiresAt === a.getState().expiresAt)
    expect(await b.getAccessToken()).toBe(token)
    expect(server.tokenRequests).toHaveLength(2)
  })

  test('logout in one tab → the other becomes unauthenticated', async () => {
    const { a, b } = await twoTabs()
    const ended: unknown[] = []
    b.on('sessionEnded', (e) => ended.push(e))
    await a.logout({ localOnly: true })
    await until(() => b.getState().status === 'unauthenticated')
    expect(ended).toEqual([{ reason: 'other_tab' }])
    await expect(b.getAccessToken()).rejects.toMatchObject({ code: 'login_required' })
  })

  test('a refresh in one tab finishing after logout in the other is discarded', async () => {
    const { server, clientId, c, a, b } = await twoTabs()
    const gate = deferred()
    server.tokenReplies.push(gate.reply)
    c.advance(HOUR)
    const pending = a.getAccessToken().catch((e: unknown) => e)
    await gate.started
    const out = b.logout({ localOnly: true })
    await settle(30)
    gate.release()
    await out
    await pending
    await settle(30)
    expect(await idb.get(server.issuer, clientId, 'session')).toBeUndefined()
    await until(() => a.getState().status === 'unauthenticated')
  })
})

describe('login in a popup', () => {
  test('a closed popup ends the login with a CallbackError', async () => {
    const server = new FakeServer()
    const c = clock()
    const auth = makeClient(server, { storage: 'memory', now: c.now })
    let href = 'about:blank'
    const popup = {
      closed: false,
      // On the server's pages the URL cannot be read (cross-origin).
      location: {
        get href() {
          if (href.startsWith('https://as.example/')) throw new DOMException('cross-origin')
          return href
        },
        set href(v: string) {
          href = v
        },
      },
      close: () => {},
    }
    const open = vi.spyOn(window, 'open').mockReturnValue(popup as unknown as Window)
    const pending = auth.login({ popup: true })
    await until(() => href.startsWith('https://as.example/'))
    await settle(250) // seen on the server's page…
    c.advance(AWAY_SETTLE)
    await settle(250) // …for long enough
    popup.closed = true
    await settle(250)
    c.advance(CLOSED_GRACE)
    await expect(pending).rejects.toMatchObject({ code: 'callback_error', reason: 'popup_closed' })
    open.mockRestore()
    expect(auth.getState().status).toBe('unauthenticated')
  })

  test('a blocked popup is a clear error, not a silent redirect', async () => {
    const server = new FakeServer()
    const auth = makeClient(server, { storage: 'memory' })
    const open = vi.spyOn(window, 'open').mockReturnValue(null)
    await expect(auth.login({ popup: true })).rejects.toMatchObject({ reason: 'popup_blocked' })
    open.mockRestore()
    expect(server.navigations).toEqual([])
  })

  test('a forged response in the popup (another state) is refused without a token request', async () => {
    const server = new FakeServer()
    const auth = makeClient(server, { storage: 'memory', popupTimeout: 1 })
    const popup = { closed: false, location: { href: 'about:blank' }, close: () => {} }
    const open = vi.spyOn(window, 'open').mockReturnValue(popup as unknown as Window)
    const pending = auth.login({ popup: true })
    await until(() => popup.location.href.startsWith('https://as.example/'))
    popup.location.href =
      'http://localhost:5173/callback?code=evil&state=forged&iss=https%3A%2F%2Fas.example'
    // Not the login's state: ignored; the wait ends at the timeout.
    await expect(pending).rejects.toMatchObject({ code: 'timeout' })
    open.mockRestore()
    expect(server.tokenRequests).toHaveLength(0)
  })

  test('the app loaded inside the silent-renewal iframe leaves the response alone', async () => {
    const server = new FakeServer()
    const auth = makeClient(server)
    const frame = Object.getOwnPropertyDescriptor(window, 'frameElement')
    const marked = document.createElement('iframe')
    marked.setAttribute('data-oauth-spa-silent', '')
    Object.defineProperty(window, 'frameElement', { value: marked, configurable: true })
    try {
      history.replaceState(null, '', '/callback?code=c&state=s')
      expect(auth.isCallback()).toBe(false)
      await expect(auth.handleRedirectCallback()).rejects.toMatchObject({
        reason: 'in_helper_window',
      })
      expect(location.search).toBe('?code=c&state=s') // untouched, for the parent to read
    } finally {
      if (frame) Object.defineProperty(window, 'frameElement', frame)
      else delete (window as { frameElement?: unknown }).frameElement
    }
  })
})
