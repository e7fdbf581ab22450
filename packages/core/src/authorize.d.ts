import * as oauth from 'oauth4webapi'
import { type Ctx } from './context.js'
import { type AuthError } from './errors.js'
import { type Session } from './session.js'
import { type Transaction } from './transactions.js'
import type { LoginOptions } from './types.js'
/** Builds the authorization request: PKCE S256, a fresh `state` (256 bits) and `nonce`. */
export declare function authorizationUrl(
  ctx: Ctx,
  as: oauth.AuthorizationServer,
  opts: LoginOptions,
  redirectUri: string,
  persist: boolean,
  popup?: boolean,
): Promise<{
  url: URL
  tx: Transaction
}>
/** Exchanges the code (never retried but for a DPoP nonce) and validates the ID token. */
export declare function exchange(
  ctx: Ctx,
  as: oauth.AuthorizationServer,
  tx: Transaction,
  params: URLSearchParams,
  base?: Session,
  key?: string,
): Promise<[Session, AuthError?]>
/**
 * The session a token response makes (code exchange or device grant): DPoP binding and identity
 * checks, the user (UserInfo when asked for), the token kept under `key`.
 */
export declare function sessionOf(
  ctx: Ctx,
  as: oauth.AuthorizationServer,
  res: oauth.TokenEndpointResponse,
  DPoP: oauth.DPoPHandle | undefined,
  {
    scope,
    key,
    skew,
    base,
  }: {
    scope: string
    key: string
    skew?: number
    base?: Session
  },
): Promise<[Session, AuthError?]>
/**
 * Redirects, or with `popup` runs the whole login in that window and completes it here: the
 * transaction then never leaves this page's memory, so login works without persistent storage.
 */
export declare function login(
  ctx: Ctx,
  opts: LoginOptions,
  popup?: Window,
): Promise<{
  returnTo: string
} | void>
export declare function completeCallback(
  ctx: Ctx,
  params: URLSearchParams,
  state: string,
): Promise<{
  returnTo: string
}>
/** Renewal without a refresh token: `prompt=none` in a hidden iframe, same checks as a login. */
export declare function silentRenew(
  ctx: Ctx,
  as: oauth.AuthorizationServer,
  s: Session,
  resource: string,
  scope?: string,
): Promise<Session>
