import type * as oauth from 'oauth4webapi'
import type { Config } from './config.js'
import type { Owner } from './owner.js'
import type { Scheduler } from './scheduler.js'
import type { TokenStore } from './storage.js'

/** What the client's modules share. Only `client.ts` creates it; only `owner` writes the session. */
export interface Ctx {
  cfg: Config
  /** oauth4webapi's client; carries the server's clock offset once learned. */
  client: oauth.Client
  store: TokenStore
  owner: Owner
  sched: Scheduler
  inflight: Map<string, Promise<unknown>>
  server(): Promise<oauth.AuthorizationServer>
  dpop(create: boolean): Promise<oauth.DPoPHandle | undefined>
  /** False once storage failed and the client went on in memory: a redirect would lose a login. */
  durable(): boolean
  /** Takes the server's clock offset (seconds) into validation and DPoP proofs. */
  skew(seconds: number | undefined): void
}

/** The iframe attribute that tells an app loaded in it to leave the response alone. */
export const SILENT_FRAME = 'data-oauth-spa-silent'

/** The name of the login popup: the app loaded in it leaves the response to its opener. */
export const LOGIN_POPUP = 'oauth-spa-login'

/** Starts the `state` of a popup login (not base64url, so never the start of another state). */
export const POPUP_STATE = 'p.'
