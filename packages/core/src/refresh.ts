import * as oauth from 'oauth4webapi'
import type { Ctx } from './context.js'
import { LoginRequiredError, OAuthError } from './errors.js'
import { isTransient, toAuthError } from './classify.js'
import { httpOptions, tokenParams, withNonceRetry } from './http.js'
import {
  checkTokens,
  isFresh,
  readSession,
  toStoredToken,
  userOf,
  type Session,
  type StoredToken,
} from './session.js'

export const hasScopes = (granted: string, wanted: string | undefined) =>
  !wanted || wanted.split(' ').every((s) => !s || granted.split(' ').includes(s))

async function refreshGrant(
  ctx: Ctx,
  as: oauth.AuthorizationServer,
  s: Session,
  key: string,
  scope?: string,
): Promise<Session> {
  const { cfg, client } = ctx
  const DPoP = await ctx.dpop(false)
  if (s.dpop && !DPoP)
    throw new LoginRequiredError(
      'The DPoP key of this session is gone: call login().',
      'dpop_key_missing',
    )
  const res = await withNonceRetry(
    async (d) =>
      oauth.processRefreshTokenResponse(
        as,
        client,
        await oauth.refreshTokenGrantRequest(as, client, oauth.None(), s.refreshToken!, {
          ...httpOptions(cfg, d),
          additionalParameters: tokenParams(cfg, key || undefined, scope),
        }),
      ),
    DPoP,
  )
  const claims = oauth.getValidatedIdTokenClaims(res)
  checkTokens(res, claims, DPoP, s.idClaims)
  return {
    ...s,
    user: claims ? { ...s.user, ...userOf(claims) } : s.user,
    idToken: res.id_token ?? s.idToken,
    // Rotation: the new refresh token replaces the old one in the same write; none given → keep.
    refreshToken: res.refresh_token ?? s.refreshToken,
    tokens: { ...s.tokens, [key]: toStoredToken(res, cfg.now(), cfg.leeway, scope ?? cfg.scope) },
  }
}

/**
 * A fresh token for `key`: one flight per tab, and across tabs one refresh under the lock. Inside
 * the lock the stored session is read again, so a token another tab just got is adopted instead of
 * spending the (rotating) refresh token twice.
 */
export function obtain(
  ctx: Ctx,
  key: string,
  scope: string | undefined,
  force: boolean,
): Promise<StoredToken> {
  const flight = `${key} ${scope ?? ''}`
  const running = ctx.inflight.get(flight) as Promise<StoredToken> | undefined
  if (running) return running
  const stale = ctx.session?.tokens[key]?.accessToken
  const gen = ctx.gen
  const p = ctx
    .lock(async () => {
      const current =
        readSession(await ctx.store.get('session'), ctx.cfg.ns) ??
        (ctx.shared() ? undefined : ctx.session)
      if (gen !== ctx.gen || !current) throw new LoginRequiredError()
      const adopted = current.tokens[key]
      if (
        isFresh(adopted, ctx.cfg.now()) &&
        hasScopes(adopted.scope, scope) &&
        (!force || adopted.accessToken !== stale)
      ) {
        if (current !== ctx.session) ctx.show(current)
        return adopted
      }
      const as = await ctx.server()
      const next = current.refreshToken
        ? await refreshGrant(ctx, as, current, key, scope)
        : await (await import('./authorize.js')).silentRenew(ctx, as, current, key, scope)
      // A logout (here or in another tab) that happened meanwhile wins: discard the answer.
      if (gen !== ctx.gen) throw new LoginRequiredError('Logged out during the refresh.')
      await ctx.store.set('session', next)
      ctx.tell('session')
      ctx.show(next)
      ctx.emit('tokenRefreshed', { resource: key, expiresAt: next.tokens[key]!.expiresAt })
      return next.tokens[key]!
    })
    .catch(async (err: unknown) => {
      const error = toAuthError(err, 'Refreshing the session')
      if (isTransient(error) || gen !== ctx.gen) throw ctx.report(error)
      const code = (error as OAuthError).error
      if (scope && code === 'invalid_scope') {
        throw new LoginRequiredError(
          `Scope "${scope}" needs a new login: call login({ scope }).`,
          code,
          scope,
        )
      }
      // Any other rejection (invalid_grant, another 4xx, a wrong ID token) ends the grant for good.
      const ended =
        error instanceof LoginRequiredError
          ? error
          : new LoginRequiredError(
              `The session has ended (${code ?? error.code}): call login().`,
              code,
            )
      if (ctx.session) await ctx.end('expired', ended)
      throw ended
    })
    .finally(() => ctx.inflight.delete(flight))
  ctx.inflight.set(flight, p)
  return p
}
