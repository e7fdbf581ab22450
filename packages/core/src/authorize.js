import * as oauth from 'oauth4webapi'
import { POPUP_STATE } from './context.js'
import { CallbackError, ConfigurationError, LoginRequiredError } from './errors.js'
import { toAuthError } from './classify.js'
import { httpOptions, serverClockOffset, tokenParams, withNonceRetry } from './http.js'
import { safeReturnTo } from './return-to.js'
import { checkTokens, tokenKey, toStoredToken, userOf } from './session.js'
import { saveTransaction, takeTransaction, TRANSACTION_TTL } from './transactions.js'
// Loaded on demand (login, callback, silent renewal): pages that only use a stored session do not
// download it.
const maxAgeOf = (v) => (v === undefined ? undefined : Number(v))
/** Builds the authorization request: PKCE S256, a fresh `state` (256 bits) and `nonce`. */
export async function authorizationUrl(ctx, as, opts, redirectUri, persist, popup = false) {
  const { cfg } = ctx
  if (
    !as.code_challenge_methods_supported?.includes('S256') &&
    as.code_challenge_methods_supported
  ) {
    throw new ConfigurationError('The server does not offer PKCE with S256: refusing to log in.')
  }
  if (!as.authorization_endpoint)
    throw new ConfigurationError('The server metadata has no authorization_endpoint.')
  const scope = [...new Set(`${cfg.scope} ${opts.scope ?? ''}`.split(' ').filter(Boolean))].join(
    ' ',
  )
  const resource = opts.resource ?? cfg.resource
  const tx = {
    v: 1,
    // A popup login's state says so: the callback page in the popup hands the response over.
    state: (popup ? POPUP_STATE : '') + oauth.generateRandomState(),
    verifier: oauth.generateRandomCodeVerifier(),
    nonce: scope.split(' ').includes('openid') ? oauth.generateRandomNonce() : undefined,
    issuer: as.issuer,
    redirectUri,
    returnTo: safeReturnTo(
      opts.returnTo ?? location.pathname + location.search + location.hash,
      location.origin,
    ),
    scope,
    resource,
    maxAge: opts.maxAge ?? maxAgeOf(opts.extraParams?.max_age ?? cfg.extraParams.max_age),
    createdAt: cfg.now(),
  }
  const url = new URL(as.authorization_endpoint)
  const DPoP = await ctx.dpop(true)
  const params = {
    client_id: cfg.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope,
    state: tx.state,
    nonce: tx.nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(tx.verifier),
    code_challenge_method: 'S256',
    resource,
    audience: cfg.audience,
    prompt: opts.prompt,
    login_hint: opts.loginHint,
    max_age: tx.maxAge?.toString(),
    dpop_jkt: await DPoP?.calculateThumbprint(),
  }
  // The app's own parameters first; ours (set ones only) override them.
  for (const [k, v] of Object.entries({ ...cfg.extraParams, ...opts.extraParams }))
    url.searchParams.set(k, v)
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v)
  // Every API in allowedOrigins is asked for up front (RFC 8707 §2.1), so one refresh token can
  // later get a token for each of them.
  for (const o of cfg.allowedOrigins ?? []) {
    const r = typeof o === 'object' && o.resource
    if (r && !url.searchParams.getAll('resource').includes(r))
      url.searchParams.append('resource', r)
  }
  // PAR (RFC 9126): the parameters go to the server first; the browser carries a reference.
  const sent =
    cfg.par || as.require_pushed_authorization_requests
      ? await (await import('./par.js')).push(ctx, as, url, DPoP)
      : url
  if (persist) await saveTransaction(ctx.store, tx, tx.createdAt)
  return { url: sent, tx }
}
/** Exchanges the code (never retried but for a DPoP nonce) and validates the ID token. */
export async function exchange(ctx, as, tx, params, base, key = tx.resource ?? '') {
  const { cfg, client } = ctx
  const DPoP = await ctx.dpop(true)
  let skew
  const res = await withNonceRetry(async (d) => {
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      params,
      tx.redirectUri,
      tx.verifier,
      { ...httpOptions(cfg, d), additionalParameters: tokenParams(cfg, tx.resource) },
    )
    // Validation below, and DPoP proofs from now on, use the server's clock.
    ctx.skew((skew = await serverClockOffset(response, cfg.now())))
    return oauth.processAuthorizationCodeResponse(as, client, response, {
      expectedNonce: tx.nonce ?? oauth.expectNoNonce,
      requireIdToken: !!tx.nonce,
      maxAge: tx.maxAge,
    })
  }, DPoP)
  return sessionOf(ctx, as, res, DPoP, { scope: tx.scope, key, skew, base })
}
/**
 * The session a token response makes (code exchange or device grant): DPoP binding and identity
 * checks, the user (UserInfo when asked for), the token kept under `key`.
 */
export async function sessionOf(ctx, as, res, DPoP, { scope, key, skew, base }) {
  const { cfg, client } = ctx
  const claims = oauth.getValidatedIdTokenClaims(res)
  const idClaims = checkTokens(res, claims, DPoP, base?.idClaims) ??
    base?.idClaims ?? { iss: as.issuer, sub: '', aud: cfg.clientId }
  let user = claims ? userOf(claims) : (base?.user ?? { sub: '' })
  // A UserInfo failure does not fail the login: it is reported once the session is shown.
  let warning
  if (cfg.fetchUserInfo && claims && as.userinfo_endpoint) {
    try {
      const { fetchUserInfo } = await import('./userinfo.js')
      user = {
        ...(await fetchUserInfo(cfg, as, client, claims.sub, res.access_token, DPoP)),
        ...user,
      }
    } catch (err) {
      warning = toAuthError(err, 'UserInfo')
    }
  }
  const session = {
    v: 1,
    ns: cfg.ns,
    user,
    idClaims,
    idToken: res.id_token ?? base?.idToken,
    refreshToken: res.refresh_token ?? base?.refreshToken,
    tokens: {
      ...base?.tokens,
      [key]: toStoredToken(res, cfg.now(), cfg.leeway, scope),
    },
    dpop: !!DPoP,
    jkt: await DPoP?.calculateThumbprint(),
    skew: skew ?? base?.skew,
  }
  return [session, warning]
}
/**
 * Redirects, or with `popup` runs the whole login in that window and completes it here: the
 * transaction then never leaves this page's memory, so login works without persistent storage.
 */
export async function login(ctx, opts, popup) {
  const { redirectUri } = ctx.cfg
  const { url, tx } = await authorizationUrl(
    ctx,
    await ctx.server(),
    opts,
    redirectUri,
    !popup,
    !!popup,
  )
  if (!popup) return ctx.cfg.navigate(url.href)
  popup.location.href = url.href
  const { waitForPopup } = await import('./popup.js')
  return finish(ctx, tx, await waitForPopup(ctx.cfg, popup, tx.state, redirectUri))
}
export async function completeCallback(ctx, params, state) {
  const tx = await takeTransaction(ctx.store, state)
  if (!tx) {
    throw new CallbackError(
      'This login response is unknown or already used (reload, Back, another tab): call login() again.',
      'unknown_state',
    )
  }
  if (ctx.cfg.now() - tx.createdAt > TRANSACTION_TTL) {
    throw new CallbackError('This login took too long and expired: call login() again.', 'expired')
  }
  return finish(ctx, tx, params)
}
/** Validates an authorization response for `tx`, exchanges the code and stores the session. */
async function finish(ctx, tx, params) {
  const as = await ctx.server()
  let validated
  try {
    // state first, then `error=`, then RFC 9207 `iss` against the server this login was sent to.
    validated = oauth.validateAuthResponse(
      { ...as, issuer: tx.issuer },
      ctx.client,
      params,
      tx.state,
    )
  } catch (err) {
    throw err instanceof oauth.AuthorizationResponseError
      ? toAuthError(err, 'Login')
      : new CallbackError(
          `The login response was rejected (${err.message}): call login() again.`,
          'invalid_response',
        )
  }
  const { owner } = ctx
  const logouts = owner.logouts
  const [next, warning] = await exchange(ctx, as, tx, validated)
  // Under the lock: a refresh of the previous session in another tab cannot overwrite this one.
  // A logout asked for meanwhile wins; the previous session ending elsewhere does not.
  await owner.locked(async (w) => {
    if (logouts !== owner.logouts) throw new LoginRequiredError('Logged out during login.')
    await w.commit(next, { event: 'loggedIn' }, warning)
  })
  return { returnTo: tx.returnTo }
}
/** Renewal without a refresh token: `prompt=none` in a hidden iframe, same checks as a login. */
export async function silentRenew(ctx, as, s, resource, scope) {
  const { silentAuthorize } = await import('./silent.js')
  const redirectUri = ctx.cfg.silentRedirectUri ?? ctx.cfg.redirectUri
  const opts = { resource: resource || undefined, scope, prompt: 'none', returnTo: '/' }
  const { url, tx } = await authorizationUrl(ctx, as, opts, redirectUri, false)
  const params = await silentAuthorize(url, redirectUri, ctx.cfg.timeout)
  const validated = oauth.validateAuthResponse(as, ctx.client, params, tx.state)
  return (await exchange(ctx, as, tx, validated, s, tokenKey(resource, scope)))[0]
}
//# sourceMappingURL=authorize.js.map
