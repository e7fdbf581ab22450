import * as oauth from 'oauth4webapi'
import { checkSecureUrl } from './config.js'
import { OAuthError } from './errors.js'
import { toAuthError } from './classify.js'
import { httpOptions, withNonceRetry } from './http.js'
import { safeReturnTo } from './return-to.js'
/**
 * Revokes the session's refresh and access tokens (RFC 7009), all at once; returns the first
 * failure. A server that does not revoke access tokens (`unsupported_token_type`) is no failure.
 */
export async function revoke(ctx, as, s, DPoP) {
  if (!as.revocation_endpoint) return undefined
  const tokens = [s.refreshToken, ...Object.values(s.tokens).map((t) => t.accessToken)]
  const errors = await Promise.all(
    tokens.map(async (token) => {
      if (!token) return
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
        const error = toAuthError(err, 'Revoking the tokens')
        return error.error === 'unsupported_token_type' ? undefined : error
      }
    }),
  )
  return errors.find(Boolean)
}
/**
 * After the local logout (the owner already cleared this tab, the stored records and told the
 * other tabs): revokes every token best-effort (a failure is reported, not fatal), then
 * RP-initiated logout with `id_token_hint`.
 */
export async function logout(ctx, opts, ended, DPoP) {
  const { cfg, owner } = ctx
  let as
  try {
    as = await ctx.server()
  } catch (err) {
    // Offline: the local logout stands; neither revocation nor the server's logout page can run.
    return void owner.report(toAuthError(err, 'Logout'))
  }
  const error = ended && (await revoke(ctx, as, ended, DPoP))
  if (error) owner.report(error)
  if (opts.localOnly || !as.end_session_endpoint) return
  let end
  try {
    end = checkSecureUrl(as.end_session_endpoint, 'end_session_endpoint')
  } catch (err) {
    throw owner.report(err)
  }
  end.searchParams.set('client_id', cfg.clientId)
  if (ended?.idToken) end.searchParams.set('id_token_hint', ended.idToken)
  end.searchParams.set(
    'post_logout_redirect_uri',
    cfg.postLogoutRedirectUri && !opts.returnTo
      ? cfg.postLogoutRedirectUri
      : new URL(safeReturnTo(opts.returnTo, location.origin), location.origin).href,
  )
  cfg.navigate(end.href)
}
//# sourceMappingURL=logout.js.map
