import * as oauth from 'oauth4webapi'
import type { Config } from './config.js'
import { DPoPError, nonceNotReadable } from './errors.js'

/** oauth4webapi request options: injected fetch, a fresh timeout per request, http only for loopback. */
export const httpOptions = (cfg: Config, DPoP?: oauth.DPoPHandle) => ({
  [oauth.customFetch]: (url: string, init: RequestInit) => (cfg.fetch ?? fetch)(url, init),
  [oauth.allowInsecureRequests]: cfg.insecure,
  signal: () => AbortSignal.timeout(cfg.timeout),
  DPoP,
})

/**
 * One retry when the server asks for a DPoP nonce (RFC 9449 §8); never a loop. A nonce the
 * browser cannot read, or a second demand, is a `DPoPError`, not a rejected grant.
 */
export async function withNonceRetry<T>(
  run: (DPoP?: oauth.DPoPHandle) => Promise<T>,
  DPoP?: oauth.DPoPHandle,
): Promise<T> {
  try {
    return await run(DPoP)
  } catch (err) {
    if (!DPoP || !oauth.isDPoPNonceError(err)) throw err
    const res = (err as { response?: Response }).response
    if (!res?.headers.has('dpop-nonce'))
      throw nonceNotReadable(res?.url ? new URL(res.url).origin : 'The server')
  }
  try {
    return await run(DPoP)
  } catch (err) {
    if (oauth.isDPoPNonceError(err))
      throw new DPoPError('The server asked for a fresh DPoP nonce twice in a row.')
    throw err
  }
}

/** Token request parameters: the API (RFC 8707), the provider's `audience`, extra scope. */
export const tokenParams = (cfg: Config, resource?: string, scope?: string) =>
  Object.fromEntries(
    Object.entries({ resource, audience: cfg.audience, scope, ...cfg.extraTokenParams }).filter(
      (e): e is [string, string] => e[1] !== undefined,
    ),
  )
