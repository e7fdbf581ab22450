import type * as oauth from 'oauth4webapi'
import { SILENT_FRAME, type Ctx } from './context.js'
import { LoginRequiredError, TimeoutError } from './errors.js'
import { tokenKey, type Session } from './session.js'

// Loaded on demand: only sessions without a refresh token renew in an iframe.

/** Renewal without a refresh token: `prompt=none` in a hidden iframe, same checks as a login. */
export async function silentRenew(
  ctx: Ctx,
  as: oauth.AuthorizationServer,
  s: Session,
  resource: string,
  scope?: string,
): Promise<Session> {
  // Already loaded (it loaded this module); imported on demand so the login chunk stays one file.
  const { authorizationUrl, exchange, validate } = await import('./authorize.js')
  const redirectUri = ctx.cfg.silentRedirectUri ?? ctx.cfg.redirectUri
  const opts = { resource: resource || undefined, scope, prompt: 'none', returnTo: '/' }
  const { url, tx } = await authorizationUrl(ctx, as, opts, redirectUri, false)
  const params = await silentAuthorize(url, redirectUri, ctx.cfg.timeout)
  const validated = validate(ctx, as, tx, params)
  return (await exchange(ctx, as, tx, validated, s, tokenKey(resource, scope)))[0]
}

/**
 * The URL of `win` once it is back on `redirectUri`, else `undefined`. While the window is on the
 * authorization server's origin its URL cannot be read at all: only our own page answers here, so
 * no postMessage is needed and nothing another window sends can pose as the response.
 */
function backOn(win: Window | null | undefined, expected: URL): URL | undefined {
  try {
    const here = new URL(win?.location.href ?? '')
    return here.origin === expected.origin && here.pathname === expected.pathname ? here : undefined
  } catch {
    return undefined
  }
}

/**
 * Runs an authorization request with `prompt=none` in a hidden iframe and resolves with the
 * parameters the server redirected back with, read from the iframe's URL. The iframe is marked
 * so that the app loaded inside it stays out of the way.
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
      const here = backOn(iframe.contentWindow, expected)
      if (!here) return
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
