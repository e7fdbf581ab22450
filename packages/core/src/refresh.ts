import * as oauth from 'oauth4webapi'
import type { Ctx } from './context.js'
import { LoginRequiredError } from './errors.js'
import { toAuthError } from './classify.js'
import { httpOptions, serverClockOffset, signed, tokenParams, withNonceRetry } from './http.js'
import {
  checkTokens,
  isFresh,
  pick,
  toStoredToken,
  tokenKey,
  userOf,
  type Session,
  type StoredToken,
} from './session.js'

async function refreshGrant(
  ctx: Ctx,
  as: oauth.AuthorizationServer,
  s: Session,
  resource: string,
  scope?: string,
): Promise<Session> {
  const { cfg, client } = ctx
  const DPoP = await ctx.dpop(false)
  if (s.dpop && !DPoP)
    throw new LoginRequiredError(
      'The DPoP key of this session is gone: call login().',
      'dpop_key_missing',
    )
  let skew: number | undefined
  const res = await withNonceRetry(async (d) => {
    const response = await oauth.refreshTokenGrantRequest(
      as,
      client,
      oauth.None(),
      s.refreshToken!,
      {
        ...httpOptions(cfg, d),
        additionalParameters: tokenParams(cfg, resource || undefined, scope),
      },
    )
    ctx.skew((skew = await serverClockOffset(response, cfg.now())))
    const processed = await oauth.processRefreshTokenResponse(
      cfg.provider ? await cfg.provider.forTokens(as, response) : as,
      client,
      response,
    )
    return signed(cfg, as, response, processed)
  }, DPoP)
  const claims = oauth.getValidatedIdTokenClaims(res)
  checkTokens(res, claims, DPoP, s.idClaims)
  const key = tokenKey(resource, scope)
  return {
    ...s,
    user: claims ? { ...s.user, ...userOf(claims) } : s.user,
    idToken: res.id_token ?? s.idToken,
    // Rotation: the new refresh token replaces the old one in the same write; none given → keep.
    refreshToken: res.refresh_token ?? s.refreshToken,
    tokens: {
      ...s.tokens,
      // A response without `scope` has the scopes of the token it replaces.
      [key]: toStoredToken(
        res,
        cfg.now(),
        cfg.leeway,
        scope ?? s.tokens[key]?.scope ?? cfg.scope ?? '',
      ),
    },
    skew: skew ?? s.skew,
  }
}

/**
 * A fresh token for `resource` (with `scope`): one flight per tab, and across tabs one refresh
 * under the lock. Inside the lock the stored session is read again, so a token another tab just
 * got is adopted instead of spending the (rotating) refresh token twice. `stale` is the token a
 * caller found rejected (forceRefresh, a 401): any other valid token is then good enough.
 * Failures are decided once (`decide`, through the scheduler): the session ends, or is kept with
 * a backoff window in which every caller is answered at once with the last error.
 */
export function obtain(
  ctx: Ctx,
  resource: string,
  scope: string | undefined,
  stale?: string,
): Promise<StoredToken> {
  const { owner, sched } = ctx
  const flight = `${tokenKey(resource, scope)}\n${stale ?? ''}`
  const running = ctx.inflight.get(flight) as Promise<StoredToken> | undefined
  if (running) return running
  const blocked = sched.blocked()
  if (blocked) return Promise.reject(blocked)
  const epoch = owner.epoch
  let decided: unknown
  const p = owner
    .locked(async (w) => {
      const current = w.stored
      if (!current) {
        // The stored session vanished under this tab (storage evicted or cleared): end it here
        // too, visibly, rather than stay "authenticated" with every call failing.
        const gone = new LoginRequiredError(
          'The stored session is gone: call login().',
          'storage_cleared',
        )
        if (owner.session && epoch === owner.epoch) await w.end('invalid_session', gone)
        throw owner.session ? gone : new LoginRequiredError()
      }
      const now = ctx.cfg.now()
      const t = pick(current, resource, scope)
      if (
        t &&
        (stale === undefined ? isFresh(t, now) : t.expiresAt > now && t.accessToken !== stale)
      ) {
        w.adopt()
        return t
      }
      // Discovery failing is no verdict on the session: decided as a passing fault, below.
      const as = await ctx.server()
      let next: Session
      try {
        next = current.refreshToken
          ? await refreshGrant(ctx, as, current, resource, scope)
          : await (await import('./authorize.js')).silentRenew(ctx, as, current, resource, scope)
      } catch (err) {
        const error = toAuthError(err, 'Refreshing the session')
        // The provider's reading first (Auth0's 403 invalid_grant is a 400): `decide` then ends
        // the session on any refusal.
        const verdict = sched.failed(ctx.cfg.provider?.mapError(error, 'refresh') ?? error, {
          silent: !current.refreshToken,
          scope,
          resource: resource === (ctx.cfg.resource ?? '') ? undefined : resource,
        })
        if (verdict.action === 'end' && epoch === owner.epoch) await w.end('expired', verdict.error)
        else if (verdict.action === 'retry') owner.report(verdict.error)
        throw (decided = verdict.error)
      }
      // A logout (here or in another tab) that happened meanwhile wins: discard the answer, and
      // revoke what it brought so that no live token is left behind.
      const key = tokenKey(resource, scope)
      if (
        epoch !== owner.epoch ||
        !(await w.commit(next, { base: current, event: 'tokenRefreshed', resource: key }))
      ) {
        import('./logout.js').then((m) => m.revoke(ctx, as, next)).catch(() => {})
        throw new LoginRequiredError('Logged out during the refresh.')
      }
      sched.succeeded()
      return next.tokens[key]!
    }, epoch)
    .catch((err: unknown) => {
      const error = toAuthError(err, 'Refreshing the session')
      // Being logged out is an answer, not a fault; anything else (discovery, storage, the lock)
      // lands in the state, and the session stays.
      if (err !== decided && !(error instanceof LoginRequiredError)) {
        sched.failed(error, {}) // a lock held too long elsewhere, storage: back off all the same
        owner.report(error)
      }
      throw error
    })
    .finally(() => ctx.inflight.delete(flight))
  ctx.inflight.set(flight, p)
  return p
}
