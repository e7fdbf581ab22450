import type * as oauth from 'oauth4webapi'
import type { Config } from './config.js'
import type { AuthError } from './errors.js'
import type { Session } from './session.js'
import type { TokenStore } from './storage.js'
import type { AuthEvents } from './types.js'

/** What the client's modules share. Only `client.ts` creates it; only `show` changes the state. */
export interface Ctx {
  cfg: Config
  client: oauth.Client
  store: TokenStore
  /** The store other tabs see, or `undefined` when nothing is shared (memory). */
  shared(): TokenStore | undefined
  session: Session | undefined
  /** Bumped by every logout and session end: work started before it is discarded. */
  gen: number
  inflight: Map<string, Promise<unknown>>
  server(): Promise<oauth.AuthorizationServer>
  dpop(create: boolean): Promise<oauth.DPoPHandle | undefined>
  show(session: Session | undefined, error?: AuthError | null): void
  report(error: AuthError): AuthError
  emit<E extends keyof AuthEvents>(event: E, payload: AuthEvents[E]): void
  tell(type: 'session' | 'logout'): void
  end(reason: AuthEvents['sessionEnded']['reason'], error?: AuthError): Promise<void>
  lock<T>(fn: () => Promise<T>): Promise<T>
}

/** The iframe attribute that tells an app loaded in it to leave the response alone. */
export const SILENT_FRAME = 'data-oauth-spa-silent'

/** The name of the login popup: the app loaded in it leaves the response to its opener. */
export const LOGIN_POPUP = 'oauth-spa-login'
