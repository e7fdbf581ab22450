import * as oauth from 'oauth4webapi'
import { DPoPError, NetworkError, nonceNotReadable } from './errors.js'
/**
 * `fetch`, with its own failures (offline, DNS, CORS, connection reset) as `NetworkError`s naming
 * the host: anything else that throws later is not the network's fault.
 */
export async function send(f, url, init) {
  try {
    return await f(url, init)
  } catch (err) {
    if (err instanceof DOMException) throw err // timeout or abort: toAuthError names it
    const host = new URL(url instanceof Request ? url.url : url).host
    throw new NetworkError(`${host} is unreachable (${err?.message}). Try again.`)
  }
}
/** oauth4webapi request options: injected fetch, a fresh timeout per request, http only for loopback. */
export const httpOptions = (cfg, DPoP) => ({
  [oauth.customFetch]: (url, init) => send(cfg.fetch ?? fetch, url, init),
  [oauth.allowInsecureRequests]: cfg.insecure,
  signal: () => AbortSignal.timeout(cfg.timeout),
  DPoP,
})
/**
 * One retry when the server asks for a DPoP nonce (RFC 9449 §8); never a loop. A nonce the
 * browser cannot read, or a second demand, is a `DPoPError`, not a rejected grant.
 */
export async function withNonceRetry(run, DPoP) {
  try {
    return await run(DPoP)
  } catch (err) {
    if (!DPoP || !oauth.isDPoPNonceError(err)) throw err
    const res = err.response
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
export const tokenParams = (cfg, resource, scope) =>
  Object.fromEntries(
    Object.entries({ resource, audience: cfg.audience, scope, ...cfg.extraTokenParams }).filter(
      (e) => e[1] !== undefined,
    ),
  )
/** Beyond this (15 min) an offset is not trusted: an old ID token must not move our clock. */
const MAX_SKEW = 900
/**
 * The server's clock minus ours, in seconds, from the `iat` of the ID token in a token response
 * received at `receivedAt` (ms, local clock). Read before validation, only to set the clock
 * validation and DPoP proofs use; oauth4webapi then checks the token in full.
 */
export async function serverClockOffset(res, receivedAt) {
  try {
    const idToken = (await res.clone().json()).id_token
    const payload = typeof idToken === 'string' ? idToken.split('.')[1] : undefined
    if (!payload) return undefined
    const { iat } = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')))
    const offset = typeof iat === 'number' ? Math.round(iat - receivedAt / 1000) : NaN
    return Math.abs(offset) < MAX_SKEW ? offset : undefined
  } catch {
    return undefined // not JSON, no ID token: the processing step reports it
  }
}
//# sourceMappingURL=http.js.map
