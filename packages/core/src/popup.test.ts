import { describe, expect, test, vi } from 'vitest'
import { FakeServer } from './test/fake-server.js'
import {
  errorOf,
  makeClient,
  settle,
  timers,
  clock,
  until,
  uniqueClientId,
} from './test/helpers.js'
import { AWAY_SETTLE, CLOSED_GRACE } from './popup.js'

/** A login popup stand-in: readable on our origin, unreadable (throws) on the server's. */
function fakePopup(server: FakeServer) {
  let href = 'about:blank'
  const popup = {
    closed: false,
    location: {
      get href() {
        if (href.startsWith(server.issuer)) throw new DOMException('Blocked a cross-origin frame')
        return href
      },
      set href(v: string) {
        href = v
      },
    },
    close: vi.fn(() => void (popup.closed = true)),
    /** Where the popup is, for the test (the opener cannot always read it). */
    get at() {
      return href
    },
  }
  return popup
}

/** A client whose popup wait runs on injected timers: `run(ms)` lets `ms` pass in 100 ms steps. */
function setup(options: Record<string, unknown> = {}) {
  const server = new FakeServer()
  const c = clock()
  const t = timers()
  const clientId = uniqueClientId('popup')
  const auth = makeClient(server, { storage: 'memory', clientId, now: c.now, ...t, ...options })
  const run = async (ms: number) => {
    await until(() => t.active().length > 0)
    for (let passed = 0; passed < ms; passed += 100) {
      c.advance(100)
      for (const timer of t.active()) if (timer.ms <= 100) t.fire(timer)
      await settle(1)
    }
  }
  const popup = fakePopup(server)
  const open = vi.spyOn(window, 'open').mockReturnValue(popup as unknown as Window)
  const start = async () => {
    const pending = auth.login({ popup: true })
    pending.catch(() => {})
    await until(() => popup.at.startsWith(server.issuer))
    open.mockRestore()
    return { pending }
  }
  return { server, auth, clientId, popup, run, start, clock: c, t }
}

/** The app loaded in the popup on the callback page, as another client of the same app. */
function popupApp(server: FakeServer, clientId: string, options: Record<string, unknown> = {}) {
  return makeClient(server, { clientId, storage: 'memory', ...options })
}

describe('popup login that survives COOP', () => {
  test('the state of a popup login says so, and the response read from the popup URL completes it', async () => {
    const { server, auth, popup, run, start } = setup()
    const { pending } = await start()
    const state = new URL(popup.at).searchParams.get('state')!
    expect(state.startsWith('p.')).toBe(true)
    popup.location.href = server.authorize(popup.at)
    await run(200)
    await expect(pending).resolves.toBeDefined()
    expect(popup.close).toHaveBeenCalled()
    expect(auth.getState().status).toBe('authenticated')
  })

  test('cut off by COOP (closed at once): the callback page hands the response over the channel', async () => {
    const { server, auth, clientId, popup, run, start } = setup()
    const { pending } = await start()
    const callbackUrl = server.authorize(popup.at)
    // COOP on the server's pages: the opener sees `closed` at once, for far longer than the grace.
    popup.closed = true
    await run(CLOSED_GRACE * 3)
    expect(auth.getState().status).toBe('unauthenticated')
    expect(server.tokenRequests).toHaveLength(0)

    // The popup is back on the app's callback page, which calls handleRedirectCallback().
    const close = vi.spyOn(window, 'close').mockImplementation(() => {})
    const inPopup = popupApp(server, clientId)
    expect(inPopup.isCallback(callbackUrl)).toBe(true)
    const handed = inPopup.handleRedirectCallback(callbackUrl)
    await expect(handed).resolves.toEqual({ returnTo: '/' })
    await pending
    expect(close).toHaveBeenCalled() // the popup closes itself once the opener took it
    close.mockRestore()
    expect(auth.getState().status).toBe('authenticated')
    expect(inPopup.getState().status).toBe('unauthenticated') // the popup exchanged nothing
    expect(server.tokenRequests).toHaveLength(1)
  })

  test('messages are checked: another state, another origin or source are ignored; one use only', async () => {
    const { server, auth, clientId, popup, run, start } = setup()
    const { pending } = await start()
    const callbackUrl = new URL(server.authorize(popup.at))
    const state = callbackUrl.searchParams.get('state')!
    popup.closed = true // cut off: only messages can bring the answer
    const channel = new BroadcastChannel(`oauth-spa-popup:${server.issuer}|${clientId}`)
    const forged = new URL(callbackUrl)
    forged.searchParams.set('code', 'evil')
    // Another login's state.
    channel.postMessage({
      type: 'oauth-spa:popup-response',
      state: 'p.other',
      search: forged.search,
    })
    // The right state, but from a window that is not the popup, or from another origin.
    const message = { type: 'oauth-spa:popup-response', state, search: forged.search }
    window.dispatchEvent(
      new MessageEvent('message', { data: message, origin: location.origin, source: window }),
    )
    window.dispatchEvent(
      new MessageEvent('message', {
        data: message,
        origin: 'https://evil.example',
        source: popup as never,
      }),
    )
    await run(300)
    expect(server.tokenRequests).toHaveLength(0)
    // The genuine answer, then a replay of it.
    channel.postMessage({ type: 'oauth-spa:popup-response', state, search: callbackUrl.search })
    await pending
    channel.postMessage({ type: 'oauth-spa:popup-response', state, search: callbackUrl.search })
    await settle(20)
    channel.close()
    expect(server.tokenRequests).toHaveLength(1)
    expect(auth.getState().status).toBe('authenticated')
  })

  test('without COOP, a popup the person closed gives popup_closed after a short grace', async () => {
    const { popup, run, start } = setup()
    const { pending } = await start()
    await run(AWAY_SETTLE + 100) // seen open on the server's page for a while
    popup.closed = true
    await run(CLOSED_GRACE - 200)
    let settled = false
    pending.then(
      () => (settled = true),
      () => (settled = true),
    )
    await settle(5)
    expect(settled).toBe(false) // a response may still be on its way
    await run(400)
    expect(await errorOf(pending)).toMatchObject({ code: 'callback_error', reason: 'popup_closed' })
  })

  test('unreadable for a moment and then closed, as a COOP cut-off looks in Chromium: no popup_closed, the wait goes on', async () => {
    const { popup, run, start } = setup({ popupTimeout: 10 })
    const { pending } = await start()
    await run(100) // seen once on the server's page: not long enough to count
    popup.closed = true
    let settled = false
    pending.catch(() => (settled = true))
    await run(CLOSED_GRACE + 3000)
    await settle(5)
    expect(settled).toBe(false)
    await run(10_000)
    expect(await errorOf(pending)).toMatchObject({ code: 'timeout', name: 'TimeoutError' })
  })

  test('cut off by COOP and never answered: the wait ends at popupTimeout with a TimeoutError', async () => {
    const { popup, run, start } = setup({ popupTimeout: 5 })
    const { pending } = await start()
    popup.closed = true
    await run(4000)
    let settled = false
    pending.catch(() => (settled = true))
    await settle(5)
    expect(settled).toBe(false)
    await run(1200)
    expect(await errorOf(pending)).toMatchObject({ code: 'timeout', name: 'TimeoutError' })
  })

  test('the callback page of a popup whose opener is gone says so and stays open', async () => {
    const server = new FakeServer()
    const t = timers()
    const inPopup = popupApp(server, uniqueClientId('orphan'), t)
    const close = vi.spyOn(window, 'close').mockImplementation(() => {})
    const handed = inPopup.handleRedirectCallback(
      'http://localhost:5173/callback?code=c&state=p.nobody&iss=https%3A%2F%2Fas.example',
    )
    await until(() => t.active().length > 0)
    for (const timer of t.active()) t.fire(timer)
    expect(await errorOf(handed)).toMatchObject({ reason: 'unknown_state' })
    expect(close).not.toHaveBeenCalled()
    close.mockRestore()
    expect(server.tokenRequests).toHaveLength(0)
  })
})
