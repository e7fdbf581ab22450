import * as oauth from 'oauth4webapi'
import type { Config } from './config.js'
/**
 * UserInfo claims for `sub`; an answer about another subject is refused (OIDC Core §5.3.2).
 * A separate chunk: only apps with `fetchUserInfo` load it.
 */
export declare function fetchUserInfo(
  cfg: Config,
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  sub: string,
  accessToken: string,
  DPoP?: oauth.DPoPHandle,
): Promise<Record<string, unknown>>
