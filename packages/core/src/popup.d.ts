import type { Config } from './config.js'
/** Once `closed` reads true, how long a response may still be on its way over the channel. */
export declare const CLOSED_GRACE = 1500
/** How long the popup waits for the window that started the login to take the response. */
export declare const ACK_WAIT = 3000
/**
 * The opener's side of a popup login: resolves with the authorization response for `state`, from
 * whichever comes first — the popup's URL once it is back on `redirectUri` (readable while the
 * popup is ours), a BroadcastChannel message from the callback page in the popup, or its
 * `postMessage` (exact origin and source). Every answer is checked for `state` and taken once.
 *
 * `Cross-Origin-Opener-Policy` on the server's pages cuts the popup off: `popup.closed` then reads
 * true at once although the person is still signing in, and only the channel can bring the answer.
 * So `closed` ends the wait (`popup_closed`, after a short grace for a message under way) only
 * when the popup was seen open on the server's pages first; a popup "closed" before that was cut
 * off, and the wait ends with the answer or at `popupTimeout`.
 */
export declare function waitForPopup(
  cfg: Config,
  popup: Window,
  state: string,
  redirectUri: string,
): Promise<URLSearchParams>
/**
 * The callback page's side, inside the login popup: hands the response to the window that
 * started the login (which exchanges the code: the PKCE verifier never left it), waits for it to
 * confirm, and closes the popup. With no such window (it was closed or reloaded), rejects.
 */
export declare function handOver(
  cfg: Config,
  params: URLSearchParams,
  state: string,
): Promise<{
  returnTo: string
}>
