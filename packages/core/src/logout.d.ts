import * as oauth from 'oauth4webapi'
import type { Ctx } from './context.js'
import { type AuthError } from './errors.js'
import type { Session } from './session.js'
import type { LogoutOptions } from './types.js'
/**
 * Revokes the session's refresh and access tokens (RFC 7009), all at once; returns the first
 * failure. A server that does not revoke access tokens (`unsupported_token_type`) is no failure.
 */
export declare function revoke(
  ctx: Ctx,
  as: oauth.AuthorizationServer,
  s: Session,
  DPoP?: oauth.DPoPHandle,
): Promise<AuthError | undefined>
/**
 * After the local logout (the owner already cleared this tab, the stored records and told the
 * other tabs): revokes every token best-effort (a failure is reported, not fatal), then
 * RP-initiated logout with `id_token_hint`.
 */
export declare function logout(
  ctx: Ctx,
  opts: LogoutOptions,
  ended: Session | undefined,
  DPoP: oauth.DPoPHandle | undefined,
): Promise<void>
