import * as oauth from 'oauth4webapi'
import type { Ctx } from './context.js'
import { AuthError, LoginRequiredError, OAuthError } from './errors.js'
import { toAuthError } from './classify.js'
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

/** An error the grant itself produced: only these can end the session. */
class Rejected {
  constructor(readonly error: AuthError) {}
}

/** Whether a rejected grant means the session is over (the server said no, or the answer lied). */
const isFatal = (e: AuthError) =>
  e instanceof LoginRequiredError ||
  (e instanceof OAuthError && e.error !== 'unknown_error' && e.error !== 'use_dpop_nonce')

/**
 * A fresh token for `key`: one flight per tab, and across tabs one refresh under the lock. Inside
 * the lock the stored session is read again, so a token another tab just got is adopted instead of
 * spending the (rotating) refresh token twice. `stale` is the token a caller found rejected
 * (forceRefresh, a 401): any other valid token is then good enough.
 */
export function obtain(
  ctx: Ctx,
  key: string,
  scope: string | undefined,
  stale?: string,
): Promise<StoredToken> {
  const flight = `${key} ${scope ?? ''} ${stale ?? ''}`
  const running = ctx.inflight.get(flight) as Promise<StoredToken> | undefined
  if (running) return running
  const gen = ctx.gen
  const p = ctx
    .lock(async () => {
      const current =
        readSession(await ctx.store.get('session'), ctx.cfg.ns) ??
        (ctx.shared() ? undefined : ctx.session)
      if (gen !== ctx.gen || !current) throw new LoginRequiredError()
      const now = ctx.cfg.now()
      const t = current.tokens[key]
      if (
        t &&
        hasScopes(t.scope, scope) &&
        (stale === undefined ? isFresh(t, now) : t.expiresAt > now && t.accessToken !== stale)
      ) {
        if (current !== ctx.session) ctx.show(current)
        return t
      }
      const as = await ctx.server()
      let next: Session
      try {
        next = current.refreshToken
          ? await refreshGrant(ctx, as, current, key, scope)
          : await (await import('./authorize.js')).silentRenew(ctx, as, current, key, scope)
      } catch (err) {
        throw new Rejected(toAuthError(err, 'Refreshing the session'))
      }
      // A logout (here or in another tab) that happened meanwhile wins: discard the answer, and
      // revoke what it brought so that no live token is left behind.
      if (gen !== ctx.gen) {
        import('./logout.js').then((m) => m.revoke(ctx, as, next)).catch(() => {})
        throw new LoginRequiredError('Logged out during the refresh.')
      }
      await ctx.store.set('session', next)
      ctx.tell('session')
      ctx.show(next)
      ctx.emit('tokenRefreshed', { resource: key, expiresAt: next.tokens[key]!.expiresAt })
      return next.tokens[key]!
    })
    .catch(async (err: unknown) => {
      const rejected = err instanceof Rejected
      const error = rejected ? err.error : toAuthError(err, 'Refreshing the session')
      if (gen !== ctx.gen) throw error
      if (error instanceof LoginRequiredError && !rejected) {
        // The stored session is gone (another tab logged out): follow it.
        ctx.show(undefined, error)
        throw error
      }
      const code = (error as OAuthError).error
      if (scope && code === 'invalid_scope') {
        throw new LoginRequiredError(
          `Scope "${scope}" needs a new login: call login({ scope }).`,
          code,
          scope,
        )
      }
      // Anything that is not the server refusing the grant (network, discovery, storage, a DPoP
      // nonce it keeps asking for) keeps the session: report it, try again later.
      if (!rejected || !isFatal(error)) throw ctx.report(error)
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
