import * as oauth from 'oauth4webapi'
import type { Ctx } from './context.js'
/**
 * Pushes the parameters of the authorization request `url` to the server (RFC 9126, with a DPoP
 * proof when DPoP is on) and returns the URL the browser is sent to: `client_id` and
 * `request_uri` only, so nothing of the request travels through the browser.
 */
export declare function push(
  ctx: Ctx,
  as: oauth.AuthorizationServer,
  url: URL,
  DPoP: oauth.DPoPHandle | undefined,
): Promise<URL>
