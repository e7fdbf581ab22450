import * as oauth from 'oauth4webapi'
import { type Config } from './config.js'
import type { TokenStore } from './storage.js'
/**
 * Server metadata from IndexedDB while fresh (so a reload does not refetch it), else from
 * `/.well-known/openid-configuration` — falling back to the OAuth 2.0 path — validated by
 * oauth4webapi against the configured issuer (RFC 8414 §3.3, issuers with a path included).
 */
export declare function discover(cfg: Config, store: TokenStore): Promise<oauth.AuthorizationServer>
