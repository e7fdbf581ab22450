/**
 * Runs an authorization request with `prompt=none` in a hidden iframe and resolves with the
 * parameters the server redirected back with, read from the iframe's URL. The iframe is marked
 * so that the app loaded inside it stays out of the way.
 */
export declare function silentAuthorize(
  url: URL,
  redirectUri: string,
  timeoutMs: number,
): Promise<URLSearchParams>
/** How long a person may take to sign in in the login popup. */
export declare const POPUP_TIMEOUT = 300000
/**
 * Waits until `popup` is back on `redirectUri`, then closes it and resolves with the response.
 * Gives up after `timeoutMs` (a popup left open and forgotten must not hold the login forever).
 */
export declare function waitForRedirect(
  popup: Window,
  redirectUri: string,
  timeoutMs?: number,
): Promise<URLSearchParams>
