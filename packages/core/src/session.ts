import type * as oauth from 'oauth4webapi'
import { DPoPError, LoginRequiredError } from './errors.js'

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
  idClaims: { iss: string; sub: string; aud: string | string[]; azp?: string }
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

const norm = (scope: string) => [...new Set(scope.split(' ').filter(Boolean))].sort().join(' ')

/** Where a token for `resource` with extra `scope` is kept: apart from the default token. */
export const tokenKey = (resource: string, scope?: string): string =>
  scope ? `${resource} ${norm(scope)}` : resource

export const hasScopes = (granted: string | undefined, wanted: string | undefined): boolean =>
  !wanted || wanted.split(' ').every((s) => !s || ` ${granted} `.includes(` ${s} `))

/** The token that serves `resource` with `scope`: the default one when it carries the scopes. */
export function pick(
  s: Session | undefined,
  resource: string,
  scope?: string,
): StoredToken | undefined {
  const t = s?.tokens[resource]
  return !scope || hasScopes(t?.scope, scope) ? t : s?.tokens[tokenKey(resource, scope)]
}

const MAX_LIFETIME = 365 * 86400
/** Lifetimes below this are raised to it, so a server answering `expires_in: 0` causes no storm. */
const MIN_LIFETIME = 10

export function toStoredToken(
  res: oauth.TokenEndpointResponse,
  now: number,
  leewaySeconds: number,
  fallbackScope: string,
): StoredToken {
  const given = res.expires_in
  const lifetime = Math.min(
    MAX_LIFETIME,
    Math.max(MIN_LIFETIME, typeof given === 'number' && Number.isFinite(given) ? given : 3600),
  )
  return {
    accessToken: res.access_token,
    tokenType: res.token_type,
    expiresAt: now + lifetime * 1000,
    leeway: Math.min(leewaySeconds, lifetime / 2) * 1000,
    scope: typeof res.scope === 'string' ? res.scope : fallbackScope,
  }
}

export const isFresh = (t: StoredToken | undefined, now: number): t is StoredToken =>
  !!t && now < t.expiresAt - t.leeway

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null

/** Anything that is not a session of this namespace in the current version is treated as absent. */
export function readSession(x: unknown, ns: string): Session | undefined {
  if (
    !isObject(x) ||
    x.v !== 1 ||
    x.ns !== ns ||
    !isObject(x.user) ||
    typeof x.user.sub !== 'string'
  )
    return
  if (!isObject(x.tokens) || !isObject(x.idClaims)) return
  for (const t of Object.values(x.tokens)) {
    if (!isObject(t) || typeof t.accessToken !== 'string' || typeof t.expiresAt !== 'number') return
  }
  if (x.refreshToken !== undefined && typeof x.refreshToken !== 'string') return
  return x as unknown as Session
}

export const sameIdentity = (a: Session['idClaims'], b: Session['idClaims']): boolean =>
  a.iss === b.iss && a.sub === b.sub && String(a.aud) === String(b.aud) && a.azp === b.azp

const PROTOCOL_CLAIMS = [
  'iss',
  'aud',
  'azp',
  'exp',
  'iat',
  'nbf',
  'nonce',
  'at_hash',
  'c_hash',
  's_hash',
  'jti',
  'sid',
]

/** The user's claims from a validated ID token, without the protocol ones. */
export const userOf = (claims: oauth.IDToken): User =>
  Object.fromEntries(Object.entries(claims).filter(([k]) => !PROTOCOL_CLAIMS.includes(k))) as User

/**
 * Checks a token response before anything of it is stored: DPoP binding when a proof was sent,
 * and the same user as the session's (OIDC Core §12.2). Returns the ID token's identity.
 */
export function checkTokens(
  res: oauth.TokenEndpointResponse,
  claims: oauth.IDToken | undefined,
  DPoP: oauth.DPoPHandle | undefined,
  base: Session['idClaims'] | undefined,
): Session['idClaims'] | undefined {
  if (DPoP && res.token_type !== 'dpop') {
    throw new DPoPError(
      `DPoP was used but the server issued a "${res.token_type}" token; nothing was stored. Enable DPoP for this client at the server.`,
    )
  }
  const id = claims && {
    iss: claims.iss,
    sub: claims.sub,
    aud: claims.aud,
    azp: claims.azp as string | undefined,
  }
  if (id && base && !sameIdentity(base, id)) {
    throw new LoginRequiredError(
      'The server answered for another user: call login().',
      'identity_changed',
    )
  }
  return id
}
