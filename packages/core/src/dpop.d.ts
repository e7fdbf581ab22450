import * as oauth from 'oauth4webapi'
import type { TokenStore } from './storage.js'
/** Pass as `dpop` to {@link createAuthClient} to sender-constrain tokens. */
export type DPoPLoader = typeof dpop
/**
 * Sender-constrained tokens (RFC 9449): pass this function as the `dpop` option.
 * The DPoP key of this client: a WebCrypto key pair whose private key is not extractable, kept
 * in the store (CryptoKeys survive structured cloning) so a reload keeps tokens usable.
 * Passed in rather than built in, so apps without DPoP do not ship oauth4webapi's DPoP code.
 *
 * @example
 * ```ts
 * import { createAuthClient, dpop } from '@oauth-spa/core'
 * createAuthClient({ issuer, clientId, redirectUri, dpop })
 * ```
 */
export declare function dpop(
  store: TokenStore,
  create: boolean,
  serverAlgs: readonly string[] | undefined,
  client?: Pick<oauth.Client, typeof oauth.clockSkew>,
): Promise<oauth.DPoPHandle | undefined>
