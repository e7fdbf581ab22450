import { DPoPError, LoginRequiredError } from './errors.js'
const norm = (scope) => [...new Set(scope.split(' ').filter(Boolean))].sort().join(' ')
/** Where a token for `resource` with extra `scope` is kept: apart from the default token. */
export const tokenKey = (resource, scope) => (scope ? `${resource} ${norm(scope)}` : resource)
export const hasScopes = (granted, wanted) =>
  !wanted || wanted.split(' ').every((s) => !s || ` ${granted} `.includes(` ${s} `))
/** The token that serves `resource` with `scope`: the default one when it carries the scopes. */
export function pick(s, resource, scope) {
  const t = s?.tokens[resource]
  return !scope || hasScopes(t?.scope, scope) ? t : s?.tokens[tokenKey(resource, scope)]
}
const MAX_LIFETIME = 365 * 86400
/** Lifetimes below this are raised to it, so a server answering `expires_in: 0` causes no storm. */
const MIN_LIFETIME = 10
export function toStoredToken(res, now, leewaySeconds, fallbackScope) {
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
export const isFresh = (t, now) => !!t && now < t.expiresAt - t.leeway
const isObject = (x) => typeof x === 'object' && x !== null
/** Anything that is not a session of this namespace in the current version is treated as absent. */
export function readSession(x, ns) {
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
  return x
}
export const sameIdentity = (a, b) =>
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
export const userOf = (claims) =>
  Object.fromEntries(Object.entries(claims).filter(([k]) => !PROTOCOL_CLAIMS.includes(k)))
/**
 * Checks a token response before anything of it is stored: DPoP binding when a proof was sent,
 * and the same user as the session's (OIDC Core §12.2). Returns the ID token's identity.
 */
export function checkTokens(res, claims, DPoP, base) {
  if (DPoP && res.token_type !== 'dpop') {
    throw new DPoPError(
      `DPoP was used but the server issued a "${res.token_type}" token; nothing was stored. Enable DPoP for this client at the server.`,
    )
  }
  const id = claims && {
    iss: claims.iss,
    sub: claims.sub,
    aud: claims.aud,
    azp: claims.azp,
  }
  if (id && base && !sameIdentity(base, id)) {
    throw new LoginRequiredError(
      'The server answered for another user: call login().',
      'identity_changed',
    )
  }
  return id
}
//# sourceMappingURL=session.js.map
