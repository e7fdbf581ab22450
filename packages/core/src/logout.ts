import * as oauth from 'oauth4webapi'
import { checkSecureUrl } from './config.js'
import type { Ctx } from './context.js'
import type { AuthError } from './errors.js'
import { toAuthError } from './classify.js'
import { httpOptions, withNonceRetry } from './http.js'
import { safeReturnTo } from './return-to.js'
import { readSession, type Session } from './session.js'
import type { LogoutOptions } from './types.js'

/** Revokes the session's refresh and access tokens (RFC 7009); returns the first failure. */
export async function revoke(
  ctx: Ctx,
  as: oauth.AuthorizationServer,
  s: Session,
): Promise<AuthError | undefined> {
  if (!as.revocation_endpoint) return undefined
  const DPoP = await ctx.dpop(false)
  let error: AuthError | undefined
  for (const token of [s.refreshToken, ...Object.values(s.tokens).map((t) => t.accessToken)]) {
    if (!token) continue
    try {
      await withNonceRetry(
        async (d) =>
          oauth.processRevocationResponse(
            await oauth.revocationRequest(
              as,
              ctx.client,
              oauth.None(),
              token,
              httpOptions(ctx.cfg, d),
            ),
          ),
        DPoP,
      )
    } catch (err) {
      error ??= toAuthError(err, 'Revoking the tokens')
    }
  }
  return error
}

/**
 * Revokes every token (RFC 7009; a failure is reported, not fatal), clears the session, the
 * transactions and the DPoP key in every tab, then RP-initiated logout with `id_token_hint`.
 * Runs under the refresh lock, so no refresh in another tab can write the session back.
 */
export async function logout(ctx: Ctx, opts: LogoutOptions): Promise<void> {
  const { cfg } = ctx
  ctx.gen++
  let error: AuthError | undefined
  let as: oauth.AuthorizationServer | undefined
  let idToken: string | undefined
  try {
    as = await ctx.server()
  } catch (err) {
    error = toAuthError(err, 'Logout')
  }
  await ctx
    .lock(async () => {
      const current = readSession(await ctx.store.get('session'), cfg.ns) ?? ctx.session
      idToken = current?.idToken
      if (current && as) error ??= await revoke(ctx, as, current)
      await ctx.end('logout', error)
    })
    .catch(async (err) => {
      error ??= toAuthError(err, 'Logout')
      await ctx.end('logout', error)
    })
  if (error) ctx.report(error)
  if (opts.localOnly || !as?.end_session_endpoint) return
  let end: URL
  try {
    end = checkSecureUrl(as.end_session_endpoint, 'end_session_endpoint')
  } catch (err) {
    throw ctx.report(err as AuthError)
  }
  end.searchParams.set('client_id', cfg.clientId)
  if (idToken) end.searchParams.set('id_token_hint', idToken)
  end.searchParams.set(
    'post_logout_redirect_uri',
    cfg.postLogoutRedirectUri && !opts.returnTo
      ? cfg.postLogoutRedirectUri
      : new URL(safeReturnTo(opts.returnTo, location.origin), location.origin).href,
  )
  cfg.navigate(end.href)
}
