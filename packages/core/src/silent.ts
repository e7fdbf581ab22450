import { SILENT_FRAME } from './context.js'
import { CallbackError, LoginRequiredError, TimeoutError } from './errors.js'

/**
 * Runs an authorization request with `prompt=none` in a hidden iframe and resolves with the
 * parameters the server redirected back with. The response is read from the iframe's location
 * once it is same-origin again — no postMessage, so no message from another window can be
 * mistaken for it. The iframe is marked so that the app loaded inside it stays out of the way.
 */
export function silentAuthorize(
  url: URL,
  redirectUri: string,
  timeoutMs: number,
): Promise<URLSearchParams> {
  const expected = new URL(redirectUri)
  return new Promise((resolve, reject) => {
    const iframe = document.createElement('iframe')
    iframe.setAttribute(SILENT_FRAME, '')
    iframe.hidden = true
    const finish = (settle: () => void) => {
      clearTimeout(timer)
      iframe.remove()
      settle()
    }
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new TimeoutError(
              'Silent renewal timed out (third-party cookies blocked or the server needs interaction): call login().',
            ),
          ),
        ),
      timeoutMs,
    )
    iframe.onload = () => {
      let here: URL
      try {
        here = new URL(iframe.contentWindow?.location.href ?? '')
      } catch {
        return // still on the authorization server's origin
      }
      if (here.origin !== expected.origin || here.pathname !== expected.pathname) return
      finish(() =>
        here.searchParams.has('state')
          ? resolve(here.searchParams)
          : reject(new LoginRequiredError('Silent renewal got no answer: call login().')),
      )
    }
    iframe.src = url.href
    document.body.appendChild(iframe)
  })
}

/**
 * Waits until `popup` is back on `redirectUri` (same origin, so its URL is readable), then closes
 * it and resolves with the response. No postMessage: nothing another window sends can pose as it.
 */
export function waitForRedirect(popup: Window, redirectUri: string): Promise<URLSearchParams> {
  const expected = new URL(redirectUri)
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      if (popup.closed) {
        clearInterval(poll)
        return reject(
          new CallbackError(
            'The login window was closed before the login finished.',
            'popup_closed',
          ),
        )
      }
      let here: URL
      try {
        here = new URL(popup.location.href)
      } catch {
        return // still on the authorization server's origin
      }
      if (
        here.origin !== expected.origin ||
        here.pathname !== expected.pathname ||
        !here.searchParams.has('state')
      )
        return
      clearInterval(poll)
      popup.close()
      resolve(here.searchParams)
    }, 100)
  })
}
