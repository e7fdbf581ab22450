import type { Config } from './config.js'
import { CallbackError, TimeoutError } from './errors.js'

// Loaded on demand, by a popup login and by the callback page inside its popup.

const RESPONSE = 'oauth-spa:popup-response'
const ACK = 'oauth-spa:popup-ack'
/** How often the opener looks at the popup (often: see `AWAY_SETTLE`). */
const POLL = 20
/** Once `closed` reads true, how long a response may still be on its way over the channel. */
export const CLOSED_GRACE = 1_500
/**
 * How long the popup must stay on the server's pages, unreadable and open, before a later
 * `closed` counts as the person closing it. A COOP cut-off shows the popup unreadable for a
 * moment before `closed` reads true (6–17 ms, measured in Chromium); a page that loaded and was
 * then closed, even by a script at once, stayed unreadable for 60 ms and more.
 */
export const AWAY_SETTLE = 40
/** How long the popup waits for the window that started the login to take the response. */
export const ACK_WAIT = 3_000

interface Message {
  type: string
  state: string
  search?: string
}
const channelOf = (cfg: Config) =>
  typeof BroadcastChannel === 'function'
    ? new BroadcastChannel(`oauth-spa-popup:${cfg.ns}`)
    : undefined
const isMessage = (d: unknown): d is Message =>
  !!d && typeof (d as Message).type === 'string' && typeof (d as Message).state === 'string'

/** The popup's URL when it is on our origin; `null` while it is on another origin (unreadable). */
function urlOf(popup: Window): URL | null {
  try {
    return new URL(popup.location.href)
  } catch {
    return null
  }
}

/**
 * The opener's side of a popup login: resolves with the authorization response for `state`, from
 * whichever comes first — the popup's URL once it is back on `redirectUri` (readable while the
 * popup is ours), a BroadcastChannel message from the callback page in the popup, or its
 * `postMessage` (exact origin and source). Every answer is checked for `state` and taken once.
 *
 * `Cross-Origin-Opener-Policy` on the server's pages cuts the popup off: `popup.closed` then reads
 * true at once although the person is still signing in, and only the channel can bring the answer.
 * So `closed` ends the wait (`popup_closed`, after a short grace for a message under way) only
 * when the popup was seen open on the server's pages for a moment first (`AWAY_SETTLE`); a popup
 * "closed" before that may have been cut off, and the wait ends with the answer or at
 * `popupTimeout`.
 */
export function waitForPopup(
  cfg: Config,
  popup: Window,
  state: string,
  redirectUri: string,
): Promise<URLSearchParams> {
  const expected = new URL(redirectUri)
  const started = cfg.now()
  const limit = (cfg.popupTimeout ?? 300) * 1000
  const channel = channelOf(cfg)
  let seenAway = false
  let awaySince: number | undefined
  let closedAt: number | undefined
  let timer: unknown
  let done = false
  return new Promise((resolve, reject) => {
    const end = (settle: () => void) => {
      if (done) return
      done = true
      cfg.clearTimeout(timer)
      removeEventListener('message', onMessage)
      settle()
      channel?.close()
    }
    const accept = (search: string) =>
      end(() => {
        // Tells the callback page it may close, also where this window cannot reach the popup.
        channel?.postMessage({ type: ACK, state } satisfies Message)
        popup.close()
        resolve(new URLSearchParams(search))
      })
    const take = (d: unknown) => {
      if (isMessage(d) && d.type === RESPONSE && d.state === state && typeof d.search === 'string')
        accept(d.search)
    }
    // Same-origin only, and only from our popup: nothing another window sends counts.
    function onMessage(e: MessageEvent) {
      if (e.origin === location.origin && e.source === popup) take(e.data)
    }
    if (channel) channel.onmessage = (e: MessageEvent) => take(e.data)
    addEventListener('message', onMessage)

    const tick = () => {
      const now = cfg.now()
      if (now - started >= limit) {
        return end(() => {
          popup.close()
          reject(
            new TimeoutError(
              `The login popup gave no answer within ${limit / 1000} s (closed, or cut off from this page by the server's Cross-Origin-Opener-Policy): call login() again.`,
            ),
          )
        })
      }
      if (popup.closed) {
        closedAt ??= now
        if (seenAway && now - closedAt >= CLOSED_GRACE) {
          return end(() =>
            reject(
              new CallbackError(
                'The login window was closed before the login finished.',
                'popup_closed',
              ),
            ),
          )
        }
      } else {
        const here = urlOf(popup)
        if (here === null) {
          awaySince ??= now
          if (now - awaySince >= AWAY_SETTLE) seenAway = true
        } else if (
          here.origin === expected.origin &&
          here.pathname === expected.pathname &&
          here.searchParams.get('state') === state
        )
          return accept(here.search)
        else awaySince = undefined
      }
      timer = cfg.setTimeout(tick, POLL)
    }
    timer = cfg.setTimeout(tick, POLL)
  })
}

/**
 * The callback page's side, inside the login popup: hands the response to the window that
 * started the login (which exchanges the code: the PKCE verifier never left it), waits for it to
 * confirm, and closes the popup. With no such window (it was closed or reloaded), rejects.
 */
export function handOver(
  cfg: Config,
  params: URLSearchParams,
  state: string,
): Promise<{ returnTo: string }> {
  const message: Message = { type: RESPONSE, state, search: `?${params}` }
  const channel = channelOf(cfg)
  return new Promise((resolve, reject) => {
    const timer = cfg.setTimeout(() => {
      channel?.close()
      reject(
        new CallbackError(
          'No window is waiting for this login response (the page that opened this popup was closed or reloaded): close this window and log in again.',
          'unknown_state',
        ),
      )
    }, ACK_WAIT)
    if (channel) {
      channel.onmessage = (e: MessageEvent) => {
        const d: unknown = e.data
        if (!isMessage(d) || d.type !== ACK || d.state !== state) return
        cfg.clearTimeout(timer)
        channel.close()
        window.close()
        // In case the browser keeps the window open: somewhere harmless to go.
        resolve({ returnTo: '/' })
      }
      channel.postMessage(message)
    }
    // Still reachable without COOP: never '*', only our own origin may receive it.
    try {
      if (window.opener && window.opener !== window)
        (window.opener as Window).postMessage(message, location.origin)
    } catch {
      // cut off: the channel carries it
    }
  })
}
