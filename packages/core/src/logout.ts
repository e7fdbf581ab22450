import * as oauth from 'oauth4webapi'
import { checkSecureUrl } from './config.js'
import type { Ctx } from './context.js'
import { OAuthError, type AuthError } from './errors.js'
import { toAuthError } from './classify.js'
import { httpOptions, withNonceRetry } from './http.js'
import { safeReturnTo } from './return-to.js'
import type { Session } from './session.js'
import type { LogoutOptions } from './types.js'

/**
 * Revokes the session's refresh and access tokens (RFC 7009), all at once; returns the first
 * failure. A server that does not revoke access tokens (`unsupported_token_type`) is no failure.
 */
export async function revoke(
  ctx: Ctx,
  as: oauth.AuthorizationServer,
  s: Session,
  DPoP?: oauth.DPoPHandle,
): Promise<AuthError | undefined> {
  if (!as.revocation_endpoint) return undefined
  const tokens = [s.refreshToken, ...Object.values(s.tokens).map((t) => t.accessToken)]
  const errors = await Promise.all(
    tokens.map(async (token) => {
      if (!token) return
      try {
        await withNonceRetry(async (d) => {
          const res = await oauth.revocationRequest(
            as,
            ctx.client,
            oauth.None(),
            token,
            httpOptions(ctx.cfg, d),
          )
          // RFC 7009 says 200; servers also answer 204 or 202: any 2xx revoked it.
          if (!res.ok) await oauth.processRevocationResponse(res)
        }, DPoP)
      } catch (err) {
        const error = toAuthError(err, 'Revoking the tokens')
        return (error as OAuthError).error === 'unsupported_token_type' ? undefined : error
      }
    }),
  )
  return errors.find(Boolean)
}

/**
 * After the local logout (the owner already cleared this tab, the stored records and told the
 * other tabs): revokes every token best-effort (a failure is reported, not fatal), then
 * the provider's logout URL or RP-initiated logout with `id_token_hint`. A server without a
 * revocation endpoint revokes nothing; one without a logout URL leaves the logout local.
 */
export async function logout(
  ctx: Ctx,
  opts: LogoutOptions,
  ended: Session | undefined,
  DPoP: oauth.DPoPHandle | undefined,
): Promise<void> {
  const { cfg, owner } = ctx
  let as: oauth.AuthorizationServer
  try {
    as = await ctx.server()
  } catch (err) {
    // Offline: the local logout stands; neither revocation nor the server's logout page can run.
    return void owner.report(toAuthError(err, 'Logout'))
  }
  const error = ended && (await revoke(ctx, as, ended, DPoP))
  if (error) owner.report(error)
  if (opts.localOnly) return
  // A path of this app, or the registered postLogoutRedirectUri; anything else lands on this
  // origin's `/` (no open redirect).
  const back =
    cfg.postLogoutRedirectUri &&
    (opts.returnTo ?? cfg.postLogoutRedirectUri) === cfg.postLogoutRedirectUri
      ? cfg.postLogoutRedirectUri
      : new URL(safeReturnTo(opts.returnTo, location.origin), location.origin).href
  let end: URL | undefined
  try {
    // The provider's logout URL (Cognito's, Auth0's /v2/logout…), else RP-initiated logout.
    end = cfg.provider
      ? cfg.provider.logoutUrl(as, {
          clientId: cfg.clientId,
          idToken: ended?.idToken,
          postLogoutRedirectUri: back,
        })
      : as.end_session_endpoint
        ? checkSecureUrl(as.end_session_endpoint, 'end_session_endpoint')
        : undefined
  } catch (err) {
    throw owner.report(err as AuthError)
  }
  if (!end) return
  if (!cfg.provider) {
    end.searchParams.set('client_id', cfg.clientId)
    if (ended?.idToken) end.searchParams.set('id_token_hint', ended.idToken)
    end.searchParams.set('post_logout_redirect_uri', back)
  }
  cfg.navigate(end.href)
}
