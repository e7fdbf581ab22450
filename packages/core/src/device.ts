import * as oauth from 'oauth4webapi'
import { toAuthError } from './classify.js'
import { checkSecureUrl } from './config.js'
import type { Ctx } from './context.js'
import { defaultScope } from './providers.js'
import {
  ConfigurationError,
  DeviceLoginError,
  LoginRequiredError,
  NetworkError,
  type AuthError,
  type OAuthError,
} from './errors.js'
import { httpOptions, serverClockOffset, signed, tokenParams, withNonceRetry } from './http.js'
import type { Session } from './session.js'
import type { DeviceLogin, DeviceLoginOptions } from './types.js'

// Loaded on demand (`auth.deviceLogin()`): apps without the device flow do not download it.

/** RFC 8628 §3.5: the polling interval when the server names none, and what `slow_down` adds. */
export const DEFAULT_INTERVAL = 5
export const SLOW_DOWN = 5
/** The longest wait between polls after network failures (exponential backoff, §3.5). */
const MAX_INTERVAL = 60

/**
 * Device authorization grant (RFC 8628): asks the server for a user code, then polls the token
 * endpoint — one request at a time, every `interval` seconds, 5 s more after each `slow_down`,
 * never past `expires_in` — until the person approved or denied on another device. The device
 * code lives in this closure only. An approval is stored like a redirect login's session (under
 * the lock, `loggedIn`, shared with the other tabs, refreshed as usual).
 */
export async function deviceLogin(ctx: Ctx, opts: DeviceLoginOptions): Promise<DeviceLogin> {
  const { cfg, client, owner } = ctx
  const as = await ctx.server()
  if (!as.device_authorization_endpoint) {
    throw new ConfigurationError(
      'The server offers no device authorization (no device_authorization_endpoint in its metadata): enable the device flow there for this client.',
    )
  }
  const scope = [
    ...new Set(`${cfg.scope ?? defaultScope(as)} ${opts.scope ?? ''}`.split(' ').filter(Boolean)),
  ].join(' ')
  // Imported on demand, not statically: the login chunk then stays one file for every app.
  const { requestParams, sessionOf } = await import('./authorize.js')
  // What a login would ask for beyond the protocol: extraParams, the provider's (Auth0's
  // audience), audience, the APIs (resource).
  const params = new URLSearchParams()
  requestParams(cfg, params, { scope, resource: cfg.resource, audience: cfg.audience })
  const DPoP = await ctx.dpop(true)
  const answer = await oauth.processDeviceAuthorizationResponse(
    as,
    client,
    await oauth.deviceAuthorizationRequest(as, client, oauth.None(), params, httpOptions(cfg)),
  )
  // Shown to the person and turned into a QR code: the server's pages, over https.
  checkSecureUrl(answer.verification_uri, "The server's verification_uri")
  if (answer.verification_uri_complete !== undefined)
    checkSecureUrl(answer.verification_uri_complete, "The server's verification_uri_complete")
  const deviceCode = answer.device_code
  const expiresAt = cfg.now() + answer.expires_in * 1000
  const given = answer.interval
  let interval =
    typeof given === 'number' && Number.isFinite(given) && given > 0 ? given : DEFAULT_INTERVAL

  let stopped: DeviceLoginError | undefined
  let wake: ((error: DeviceLoginError) => void) | undefined
  let abort!: (error: DeviceLoginError) => void
  const expired = () =>
    new DeviceLoginError('expired_token', 'The code expired before it was approved: start again.')

  const sleep = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = cfg.setTimeout(() => {
        wake = undefined
        resolve()
      }, ms)
      wake = (error) => {
        cfg.clearTimeout(timer)
        reject(error)
      }
    })

  /** One token request; `undefined` while the person has not decided yet. */
  async function poll(): Promise<oauth.TokenEndpointResponse | undefined> {
    try {
      return await withNonceRetry(async (d) => {
        const response = await oauth.deviceCodeGrantRequest(as, client, oauth.None(), deviceCode, {
          ...httpOptions(cfg, d),
          additionalParameters: tokenParams(cfg, cfg.resource),
        })
        ctx.skew(await serverClockOffset(response, cfg.now()))
        return signed(
          cfg,
          as,
          response,
          await oauth.processDeviceCodeResponse(as, client, response),
        )
      }, DPoP)
    } catch (err) {
      // The provider's reading first (Entra's authorization_declined is access_denied).
      const e = toAuthError(err, 'Device login')
      const error = cfg.provider?.mapError(e, 'device') ?? e
      const code = (error as OAuthError).error
      if (code === 'authorization_pending') return undefined
      if (code === 'slow_down') {
        interval += SLOW_DOWN
        return undefined
      }
      if (code === 'access_denied')
        throw new DeviceLoginError('access_denied', 'The login was denied on the other device.')
      if (code === 'expired_token') throw expired()
      // The network's or the server's passing trouble is no answer: back off and ask again.
      if (error instanceof NetworkError) {
        interval = Math.min(MAX_INTERVAL, interval * 2)
        return undefined
      }
      throw error
    }
  }

  async function run(): Promise<void> {
    for (;;) {
      if (stopped) throw stopped
      const left = expiresAt - cfg.now()
      // A poll after expiry can only hear `expired_token`: say it without asking.
      if (left <= interval * 1000) {
        await sleep(Math.max(0, left))
        throw expired()
      }
      await sleep(interval * 1000)
      const logouts = owner.logouts
      const res = await poll()
      if (!res) continue
      // Cancelled while the answer was on its way: nothing is stored, and nothing left live.
      if (stopped) {
        const live = {
          refreshToken: res.refresh_token,
          tokens: { '': { accessToken: res.access_token } },
        }
        void import('./logout.js')
          .then((m) => m.revoke(ctx, as, live as unknown as Session, DPoP))
          .catch(() => {})
        throw stopped
      }
      const key = cfg.resource ?? ''
      const [next, warning] = await sessionOf(ctx, as, res, DPoP, { scope, key })
      await owner.locked(async (w) => {
        if (logouts !== owner.logouts) throw new LoginRequiredError('Logged out during login.')
        await w.commit(next, { event: 'loggedIn' }, warning)
      })
      return
    }
  }

  const result = new Promise<void>((resolve, reject) => {
    abort = reject
    run().then(resolve, reject)
  })
  // Failures land in the state like a login's; a cancel is the app's own doing.
  result.catch((err: AuthError) => {
    if (!(err instanceof DeviceLoginError && err.code === 'aborted'))
      owner.report(toAuthError(err, 'Device login'))
  })
  return {
    userCode: answer.user_code,
    verificationUri: answer.verification_uri,
    verificationUriComplete: answer.verification_uri_complete,
    expiresAt,
    result,
    cancel() {
      if (stopped) return
      stopped = new DeviceLoginError('aborted', 'The device login was cancelled.')
      wake?.(stopped)
      abort(stopped)
    },
  }
}
