import * as oauth from 'oauth4webapi'
import type { Config } from './config.js'
import { AuthError, OAuthError } from './errors.js'
import { httpOptions } from './http.js'

/** Pass as `verifyIdTokenSignature` to {@link createAuthClient}. */
export type IdTokenVerifier = typeof verifyIdTokenSignature

/**
 * Opt-in: pass this function as the `verifyIdTokenSignature` option to check every ID token's
 * signature against the server's JWKS (oauth4webapi fetches and caches it). A key the cached set
 * lacks means the server rotated its keys: the set is fetched once more, never more. Passed in
 * rather than switched on, so apps without it do not ship oauth4webapi's JWKS and JWS code.
 *
 * @example
 * ```ts
 * import { createAuthClient, verifyIdTokenSignature } from '@oauth-spa/core'
 * createAuthClient({ issuer, clientId, redirectUri, verifyIdTokenSignature })
 * ```
 */
export async function verifyIdTokenSignature(
  cfg: Config,
  as: oauth.AuthorizationServer,
  response: Response,
): Promise<void> {
  const check = (server: oauth.AuthorizationServer) =>
    oauth.validateApplicationLevelSignature(server, response, httpOptions(cfg))
  try {
    try {
      await check(as)
    } catch (err) {
      if ((err as { code?: string }).code !== oauth.KEY_SELECTION) throw err
      // A new object: oauth4webapi's JWKS cache is kept per server object.
      await check({ ...as })
    }
  } catch (err) {
    if (err instanceof AuthError) throw err // the JWKS could not be fetched: a passing fault
    throw new OAuthError(
      'invalid_response',
      (err as Error)?.message,
      undefined,
      `The ID token's signature did not verify against the server's keys (${(err as Error)?.message}).`,
    )
  }
}
