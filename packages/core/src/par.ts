import * as oauth from 'oauth4webapi'
import type { Ctx } from './context.js'
import { ConfigurationError } from './errors.js'
import { httpOptions, withNonceRetry } from './http.js'

// Loaded on demand: only apps whose server wants pushed authorization requests download it.

/**
 * Pushes the parameters of the authorization request `url` to the server (RFC 9126, with a DPoP
 * proof when DPoP is on) and returns the URL the browser is sent to: `client_id` and
 * `request_uri` only, so nothing of the request travels through the browser.
 */
export async function push(
  ctx: Ctx,
  as: oauth.AuthorizationServer,
  url: URL,
  DPoP: oauth.DPoPHandle | undefined,
): Promise<URL> {
  if (!as.pushed_authorization_request_endpoint) {
    throw new ConfigurationError(
      'PAR is on (`par: true`) but the server metadata has no pushed_authorization_request_endpoint: turn PAR on at the server or remove the option.',
    )
  }
  const res = await withNonceRetry(async (d) => {
    const pushed = await oauth.pushedAuthorizationRequest(
      as,
      ctx.client,
      oauth.None(),
      url.searchParams,
      httpOptions(ctx.cfg, d),
    )
    // RFC 9126 says 201; some servers answer 200. oauth4webapi checks the body all the same.
    return oauth.processPushedAuthorizationResponse(
      as,
      ctx.client,
      pushed.status === 200
        ? new Response(pushed.body, { status: 201, headers: pushed.headers })
        : pushed,
    )
  }, DPoP)
  const sent = new URL(as.authorization_endpoint!)
  sent.searchParams.set('client_id', ctx.cfg.clientId)
  sent.searchParams.set('request_uri', res.request_uri)
  return sent
}
