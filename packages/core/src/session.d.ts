import type * as oauth from 'oauth4webapi'
/** Claims of the logged-in user: the ID token's, plus UserInfo's when `fetchUserInfo` is on. */
export interface User {
  sub: string
  name?: string
  email?: string
  [claim: string]: unknown
}
export interface StoredToken {
  accessToken: string
  tokenType: string
  /** Local clock, ms: receipt time + `expires_in`. Never read from the token itself. */
  expiresAt: number
  /** Ms before `expiresAt` the token stops being handed out. */
  leeway: number
  scope: string
}
/** The persisted session, one record per issuer + client id. Version it: old shapes are dropped. */
export interface Session {
  v: 1
  ns: string
  user: User
  /** The ID token's identity, compared on every refreshed ID token (OIDC Core §12.2). */
  idClaims: {
    iss: string
    sub: string
    aud: string | string[]
    azp?: string
  }
  idToken?: string
  refreshToken?: string
  /**
   * Access tokens by resource (`''` for the default one), and by resource and scope for tokens
   * asked for with extra scopes (see {@link tokenKey}): those never replace the default token.
   */
  tokens: Record<string, StoredToken>
  dpop: boolean
  /** Thumbprint of the DPoP key the tokens are bound to. */
  jkt?: string
  /** The server's clock minus ours, in seconds, learned from the ID token's `iat`. */
  skew?: number
}
/** Where a token for `resource` with extra `scope` is kept: apart from the default token. */
export declare const tokenKey: (resource: string, scope?: string) => string
export declare const hasScopes: (granted: string | undefined, wanted: string | undefined) => boolean
/** The token that serves `resource` with `scope`: the default one when it carries the scopes. */
export declare function pick(
  s: Session | undefined,
  resource: string,
  scope?: string,
): StoredToken | undefined
export declare function toStoredToken(
  res: oauth.TokenEndpointResponse,
  now: number,
  leewaySeconds: number,
  fallbackScope: string,
): StoredToken
export declare const isFresh: (t: StoredToken | undefined, now: number) => t is StoredToken
/** Anything that is not a session of this namespace in the current version is treated as absent. */
export declare function readSession(x: unknown, ns: string): Session | undefined
export declare const sameIdentity: (a: Session['idClaims'], b: Session['idClaims']) => boolean
/** The user's claims from a validated ID token, without the protocol ones. */
export declare const userOf: (claims: oauth.IDToken) => User
/**
 * Checks a token response before anything of it is stored: DPoP binding when a proof was sent,
 * and the same user as the session's (OIDC Core §12.2). Returns the ID token's identity.
 */
export declare function checkTokens(
  res: oauth.TokenEndpointResponse,
  claims: oauth.IDToken | undefined,
  DPoP: oauth.DPoPHandle | undefined,
  base: Session['idClaims'] | undefined,
): Session['idClaims'] | undefined
