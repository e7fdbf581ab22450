import * as oauth from 'oauth4webapi'
import type { Config } from './config.js'

/** oauth4webapi request options: injected fetch, a fresh timeout per request, http only for loopback. */
export const httpOptions = (cfg: Config, DPoP?: oauth.DPoPHandle) => ({
  [oauth.customFetch]: (url: string, init: RequestInit) => (cfg.fetch ?? fetch)(url, init),
  [oauth.allowInsecureRequests]: cfg.insecure,
  signal: () => AbortSignal.timeout(cfg.timeout),
  DPoP,
})
