import * as oauth from 'oauth4webapi'
import type { Config } from './config.js'
/**
 * `fetch`, with its own failures (offline, DNS, CORS, connection reset) as `NetworkError`s naming
 * the host: anything else that throws later is not the network's fault.
 */
export declare function send(
  f: typeof fetch,
  url: string | URL | Request,
  init?: RequestInit,
): Promise<Response>
/** oauth4webapi request options: injected fetch, a fresh timeout per request, http only for loopback. */
export declare const httpOptions: (
  cfg: Config,
  DPoP?: oauth.DPoPHandle,
) => {
  [oauth.customFetch]: (url: string, init: RequestInit) => Promise<Response>
  [oauth.allowInsecureRequests]: boolean
  signal: () => AbortSignal
  DPoP: oauth.DPoPHandle | undefined
}
/**
 * One retry when the server asks for a DPoP nonce (RFC 9449 §8); never a loop. A nonce the
 * browser cannot read, or a second demand, is a `DPoPError`, not a rejected grant.
 */
export declare function withNonceRetry<T>(
  run: (DPoP?: oauth.DPoPHandle) => Promise<T>,
  DPoP?: oauth.DPoPHandle,
): Promise<T>
/** Token request parameters: the API (RFC 8707), the provider's `audience`, extra scope. */
export declare const tokenParams: (
  cfg: Config,
  resource?: string,
  scope?: string,
) => {
  [k: string]: string
}
/**
 * The server's clock minus ours, in seconds, from the `iat` of the ID token in a token response
 * received at `receivedAt` (ms, local clock). Read before validation, only to set the clock
 * validation and DPoP proofs use; oauth4webapi then checks the token in full.
 */
export declare function serverClockOffset(
  res: Response,
  receivedAt: number,
): Promise<number | undefined>
