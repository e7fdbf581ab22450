import * as oauth from 'oauth4webapi'
import { POPUP_STATE, type Ctx } from './context.js'
import {
  CallbackError,
  ConfigurationError,
  LoginRequiredError,
  OAuthError,
  StorageError,
  type AuthError,
} from './errors.js'
import { toAuthError } from './classify.js'
import { defaultScope, type ProviderError } from './providers.js'
import { httpOptions, serverClockOffset, signed, tokenParams, withNonceRetry } from './http.js'
import { safeReturnTo } from './return-to.js'
import { checkTokens, toStoredToken, userOf, type Session } from './session.js'
import {
  saveTransaction,
  takeTransaction,
  TRANSACTION_TTL,
  type Transaction,
} from './transactions.js'
import type { LoginOptions } from './types.js'

// Loaded on demand (login, callback, silent renewal): pages that only use a stored session do not
// download it.

const maxAgeOf = (v: string | undefined) => (v === undefined ? undefined : Number(v))

/**
 * Sets the parameters of an authorization request, or of a device authorization request (RFC 8628
 * §3.1), on `into`: the app's `extraParams` (the adapter's below them, `extra` above them), then
 * `ours` (the set ones) over them, then every API in `allowedOrigins` as one more `resource` (RFC
 * 8707 §2.1), so that one refresh token can later get a token for each of them.
 */
export function requestParams(
  cfg: Ctx['cfg'],
  into: URLSearchParams,
  ours: Record<string, string | undefined>,
  extra?: Record<string, string>,
): void {
  for (const [k, v] of Object.entries({ ...cfg.extraParams, ...extra })) into.set(k, v)
  for (const [k, v] of Object.entries(ours)) if (v !== undefined) into.set(k, v)
  for (const o of cfg.allowedOrigins ?? []) {
    const r = typeof o === 'object' && o.resource
    if (r && !into.getAll('resource').includes(r)) into.append('resource', r)
  }
}

/** Builds the authorization request: PKCE S256, a fresh `state` (256 bits) and `nonce`. */
export async function authorizationUrl(
  ctx: Ctx,
  as: oauth.AuthorizationServer,
  opts: LoginOptions,
  redirectUri: string,
  persist: boolean,
  popup = false,
): Promise<{ url: URL; tx: Transaction }> {
  const { cfg } = ctx
  if (
    !as.code_challenge_methods_supported?.includes('S256') &&
    as.code_challenge_methods_supported
  ) {
    throw new ConfigurationError('The server does not offer PKCE with S256: refusing to log in.')
  }
  if (!as.authorization_endpoint)
    throw new ConfigurationError('The server metadata has no authorization_endpoint.')
  // An explicit (or the adapter's) scope is sent as given; otherwise the defaults the server lists.
  const scope = [
    ...new Set(`${cfg.scope ?? defaultScope(as)} ${opts.scope ?? ''}`.split(' ').filter(Boolean)),
  ].join(' ')
  const resource = opts.resource ?? cfg.resource
  const tx: Transaction = {
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
  const params: Record<string, string | undefined> = {
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
  requestParams(cfg, url.searchParams, params, opts.extraParams)
  // PAR (RFC 9126): the parameters go to the server first; the browser carries a reference.
  const sent =
    cfg.par || as.require_pushed_authorization_requests
      ? await (await import('./par.js')).push(ctx, as, url, DPoP)
      : url
  if (persist) await saveTransaction(ctx.store, tx, tx.createdAt)
  return { url: sent, tx }
}

/** Exchanges the code (never retried but for a DPoP nonce) and validates the ID token. */
export async function exchange(
  ctx: Ctx,
  as: oauth.AuthorizationServer,
  tx: Transaction,
  params: URLSearchParams,
  base?: Session,
  key = tx.resource ?? '',
): Promise<[Session, AuthError?]> {
  const { cfg, client } = ctx
  const DPoP = await ctx.dpop(true)
  let skew: number | undefined
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
    return signed(
      cfg,
      as,
      response,
      await oauth.processAuthorizationCodeResponse(
        cfg.provider ? await cfg.provider.forTokens(as, response, params) : as,
        client,
        response,
        {
          expectedNonce: tx.nonce ?? oauth.expectNoNonce,
          requireIdToken: !!tx.nonce,
          maxAge: tx.maxAge,
        },
      ),
    )
  }, DPoP)
  return sessionOf(ctx, as, res, DPoP, { scope: tx.scope, key, skew, base })
}

/**
 * The session a token response makes (code exchange or device grant): DPoP binding and identity
 * checks, the user (UserInfo when asked for), the token kept under `key`.
 */
export async function sessionOf(
  ctx: Ctx,
  as: oauth.AuthorizationServer,
  res: oauth.TokenEndpointResponse,
  DPoP: oauth.DPoPHandle | undefined,
  { scope, key, skew, base }: { scope: string; key: string; skew?: number; base?: Session },
): Promise<[Session, AuthError?]> {
  const { cfg, client } = ctx
  const claims = oauth.getValidatedIdTokenClaims(res)
  const idClaims = checkTokens(res, claims, DPoP, base?.idClaims) ??
    base?.idClaims ?? { iss: as.issuer, sub: '', aud: cfg.clientId }
  let user = claims ? userOf(claims) : (base?.user ?? { sub: '' })
  // A UserInfo failure does not fail the login: it is reported once the session is shown.
  let warning: AuthError | undefined
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
  const session: Session = {
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
export async function login(
  ctx: Ctx,
  opts: LoginOptions,
  popup?: Window,
): Promise<{ returnTo: string } | void> {
  const { redirectUri } = ctx.cfg
  const { url, tx } = await authorizationUrl(
    ctx,
    await ctx.server(),
    opts,
    redirectUri,
    !popup,
    !!popup,
  )
  // Storage failed while saving the login: it would not survive the redirect. Say so and stay;
  // the next login() runs in a popup, in this page's memory.
  if (!popup && !ctx.durable())
    throw new StorageError(
      'Storage failed while saving the login: call login() again (it will use a popup).',
    )
  if (!popup) return ctx.cfg.navigate(url.href)
  popup.location.href = url.href
  const { waitForPopup } = await import('./popup.js')
  return finish(ctx, tx, await waitForPopup(ctx.cfg, popup, tx.state, redirectUri))
}

export async function completeCallback(
  ctx: Ctx,
  params: URLSearchParams,
  state: string,
): Promise<{ returnTo: string }> {
  const tx = await takeTransaction(ctx.store, state)
  if (!tx) {
    throw new CallbackError(
      'This login response is unknown or already used (reload, Back, another tab): call login() again.',
      'unknown_state',
    )
  }
  // Written so that a record without a usable time (NaN, a string) counts as expired too.
  // A time in the future (forged, or the clock set back) is refused like an old one.
  const age = ctx.cfg.now() - tx.createdAt
  if (!(age <= TRANSACTION_TTL && age >= -ctx.cfg.clockTolerance * 1000)) {
    throw new CallbackError('This login took too long and expired: call login() again.', 'expired')
  }
  return finish(ctx, tx, params)
}

/**
 * A login the server refused, as the provider means it; a refused scope names the scopes asked for
 * and the option that chose them.
 */
function refused(
  ctx: Ctx,
  tx: Transaction,
  err: unknown,
  during: ProviderError['during'],
): AuthError {
  const e = toAuthError(err, 'Completing the login')
  const m = (ctx.cfg.provider?.mapError(e, during) ?? e) as OAuthError
  return m.error === 'invalid_scope'
    ? new OAuthError(
        m.error,
        m.error_description,
        m.status,
        `The server refused the scope "${tx.scope}": change the \`scope\` option.`,
      )
    : m
}

/**
 * `state` first, then `error=`, then RFC 9207 `iss` against the server this login was sent to (for
 * a multi-tenant issuer template, filled with the tenant `iss` names: the provider's `iss` hook).
 */
export const validate = (
  ctx: Ctx,
  as: oauth.AuthorizationServer,
  tx: Transaction,
  params: URLSearchParams,
): URLSearchParams =>
  oauth.validateAuthResponse(
    { ...as, issuer: ctx.cfg.provider?.iss(tx.issuer, params) ?? tx.issuer },
    ctx.client,
    params,
    tx.state,
  )

/** Validates an authorization response for `tx`, exchanges the code and stores the session. */
async function finish(
  ctx: Ctx,
  tx: Transaction,
  params: URLSearchParams,
): Promise<{ returnTo: string }> {
  const as = await ctx.server()
  let validated: URLSearchParams
  try {
    validated = validate(ctx, as, tx, params)
  } catch (err) {
    throw err instanceof oauth.AuthorizationResponseError
      ? refused(ctx, tx, err, 'authorization')
      : new CallbackError(
          `The login response was rejected (${(err as Error).message}): call login() again.`,
          'invalid_response',
        )
  }
  const { owner } = ctx
  const logouts = owner.logouts
  const [next, warning] = await exchange(ctx, as, tx, validated).catch((err: unknown) => {
    throw refused(ctx, tx, err, 'token')
  })
  // Under the lock: a refresh of the previous session in another tab cannot overwrite this one.
  // A logout asked for meanwhile wins; the previous session ending elsewhere does not.
  await owner.locked(async (w) => {
    if (logouts !== owner.logouts) throw new LoginRequiredError('Logged out during login.')
    await w.commit(next, { event: 'loggedIn' }, warning)
  })
  return { returnTo: tx.returnTo }
}

/**
 * Renewal without a refresh token (`prompt=none` in a hidden iframe): in the silent chunk, which
 * only sessions without a refresh token load.
 */
export const silentRenew: typeof import('./silent.js').silentRenew = async (...args) =>
  (await import('./silent.js')).silentRenew(...args)
