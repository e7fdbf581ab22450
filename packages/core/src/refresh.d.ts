import type { Ctx } from './context.js'
import { type StoredToken } from './session.js'
/**
 * A fresh token for `resource` (with `scope`): one flight per tab, and across tabs one refresh
 * under the lock. Inside the lock the stored session is read again, so a token another tab just
 * got is adopted instead of spending the (rotating) refresh token twice. `stale` is the token a
 * caller found rejected (forceRefresh, a 401): any other valid token is then good enough.
 * Failures are decided once (`decide`, through the scheduler): the session ends, or is kept with
 * a backoff window in which every caller is answered at once with the last error.
 */
export declare function obtain(
  ctx: Ctx,
  resource: string,
  scope: string | undefined,
  stale?: string,
): Promise<StoredToken>
