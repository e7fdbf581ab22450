import 'fake-indexeddb/auto'
import { createStore, del, get, keys, set } from 'idb-keyval'
import { afterEach, vi } from 'vitest'
import { createAuthClient } from '../client.js'
import type { AuthClient, LoginOptions } from '../types.js'
import type { AuthClientOptions } from '../config.js'
import { FakeServer } from './fake-server.js'

export const REDIRECT_URI = 'http://localhost:5173/callback'

let seq = 0
/** A client id no other test uses, so IndexedDB databases and channels never collide. */
export const uniqueClientId = (label = 'spa'): string =>
  `${label}-${++seq}-${crypto.randomUUID().slice(0, 8)}`

const clients: AuthClient[] = []
afterEach(() => {
  while (clients.length) clients.pop()!.destroy()
  history.replaceState(null, '', '/')
})

export type ClientOptions = Partial<AuthClientOptions>

/** A client talking to `server`, with autoRefresh off unless asked. Destroyed after the test. */
export function makeClient(server: FakeServer, options: ClientOptions = {}): AuthClient {
  const auth = createAuthClient({
    issuer: server.issuer,
    clientId: options.clientId ?? uniqueClientId(),
    redirectUri: REDIRECT_URI,
    fetch: server.fetch,
    navigate: server.navigate,
    autoRefresh: false,
    ...options,
  } as AuthClientOptions)
  clients.push(auth)
  return auth
}

/** `login()`, the user signs in at the server, then the callback. Returns the callback URL used. */
export async function loginFlow(
  auth: AuthClient,
  server: FakeServer,
  options: LoginOptions = {},
): Promise<{ callbackUrl: string; returnTo: string; authorizationUrl: URL }> {
  await auth.login(options)
  const authorizationUrl = server.lastNavigation()
  const callbackUrl = server.authorize(authorizationUrl.href)
  const { returnTo } = await auth.handleRedirectCallback(callbackUrl)
  return { callbackUrl, returnTo, authorizationUrl }
}

/** A controllable clock for the `now` option. */
export function clock(start = Date.now()): {
  now: () => number
  advance: (ms: number) => void
  t: number
} {
  const c = {
    t: start,
    now: () => c.t,
    advance: (ms: number) => void (c.t += ms),
  }
  return c
}

export interface FakeTimer {
  id: number
  fn: () => void
  ms: number
  cleared: boolean
}

/** Recording `setTimeout`/`clearTimeout` for the client: nothing fires unless the test says so. */
export function timers(): {
  setTimeout: (fn: () => void, ms: number) => unknown
  clearTimeout: (id: unknown) => void
  all: FakeTimer[]
  active: () => FakeTimer[]
  fire: (t: FakeTimer) => void
} {
  const all: FakeTimer[] = []
  let next = 0
  return {
    all,
    setTimeout: (fn, ms) => {
      const t = { id: ++next, fn, ms, cleared: false }
      all.push(t)
      return t.id
    },
    clearTimeout: (id) => {
      const t = all.find((x) => x.id === id)
      if (t) t.cleared = true
    },
    active: () => all.filter((t) => !t.cleared),
    fire: (t) => {
      t.cleared = true
      t.fn()
    },
  }
}

/** The IndexedDB store the SDK uses for `issuer` + `clientId`. */
export const sdkStore = (issuer: string, clientId: string) =>
  createStore(`oauth-spa:${issuer}|${clientId}`, 'records')

export const idb = {
  get: (issuer: string, clientId: string, key: string) => get(key, sdkStore(issuer, clientId)),
  set: (issuer: string, clientId: string, key: string, value: unknown) =>
    set(key, value, sdkStore(issuer, clientId)),
  del: (issuer: string, clientId: string, key: string) => del(key, sdkStore(issuer, clientId)),
  keys: (issuer: string, clientId: string) => keys<string>(sdkStore(issuer, clientId)),
}

/** Lets pending promise callbacks and fake-indexeddb's tasks run. */
export const settle = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Polls until `check` holds (or fails the test after `timeout` ms). */
export async function until(check: () => boolean, timeout = 2000): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > timeout) throw new Error('condition not met in time')
    await settle(5)
  }
}

export const errorOf = async (p: Promise<unknown>): Promise<unknown> => {
  try {
    await p
  } catch (err) {
    return err
  }
  throw new Error('expected a rejection')
}

/**
 * A `fetch` in front of `server` whose token responses carry a rewritten ID token: `rewrite`
 * gets the decoded header and claims and returns the compact JWT to send instead.
 */
export function rewriteIdToken(
  server: FakeServer,
  rewrite: (header: Record<string, unknown>, claims: Record<string, unknown>) => string,
): typeof fetch {
  const decode = (part: string) => JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')))
  return async (input, init) => {
    const res = await server.fetch(input, init)
    if (!String(input).endsWith('/token') || res.status !== 200) return res
    const body = await res.json()
    const [header, claims] = String(body.id_token).split('.') as [string, string]
    body.id_token = rewrite(decode(header), decode(claims))
    return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } })
  }
}

/**
 * A login in a popup: `window.open` returns a stand-in window whose URL the test moves from the
 * authorization request to the callback, as the server would. Returns what `login()` resolved to.
 */
export async function popupLoginFlow(
  auth: AuthClient,
  server: FakeServer,
  options: LoginOptions = {},
): Promise<{ result: unknown; popup: { closed: boolean; location: { href: string } } }> {
  const popup = {
    closed: false,
    location: { href: 'about:blank' },
    close() {
      popup.closed = true
    },
  }
  const open = vi.spyOn(window, 'open').mockReturnValue(popup as unknown as Window)
  try {
    const pending = auth.login(options)
    await until(() =>
      popup.location.href.startsWith(String(server.metadata.authorization_endpoint)),
    )
    popup.location.href = server.authorize(popup.location.href)
    return { result: await pending, popup }
  } finally {
    open.mockRestore()
  }
}
