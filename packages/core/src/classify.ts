import * as oauth from 'oauth4webapi'
import {
  AuthError,
  InternalError,
  LoginRequiredError,
  NetworkError,
  OAuthError,
  TimeoutError,
} from './errors.js'

const INTERACTION = [
  'login_required',
  'interaction_required',
  'consent_required',
  'account_selection_required',
]

/**
 * Maps whatever oauth4webapi or `fetch` threw to one of our typed errors. Server responses are
 * never attached as `cause`: they may carry tokens.
 */
export function toAuthError(err: unknown, what: string): AuthError {
  if (err instanceof AuthError) return err
  if (err instanceof oauth.AuthorizationResponseError) {
    return INTERACTION.includes(err.error)
      ? new LoginRequiredError(
          `The server needs a new login (${err.error}): call login().`,
          err.error,
        )
      : new OAuthError(err.error, err.error_description)
  }
  if (err instanceof DOMException && /Timeout|Abort/.test(err.name)) {
    return new TimeoutError(`${what}: the server did not answer in time. Try again.`)
  }
  // Network failures are tagged where `fetch` is called (http.ts): a TypeError here is a bug.
  if (err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError)
    return new InternalError(`${what} failed: ${err.message}`)
  const e = err as { response?: Response; cause?: unknown; code?: string; message?: string }
  const res = e?.response ?? (e?.cause instanceof Response ? e.cause : undefined)
  const status = res?.status
  if (!status || status < 400) {
    // A body we cannot read (HTML from a proxy, truncated JSON) is a passing fault, not a verdict.
    return [oauth.RESPONSE_IS_NOT_JSON, oauth.PARSE_ERROR, oauth.RESPONSE_IS_NOT_CONFORM].includes(
      e?.code as string,
    )
      ? new NetworkError(`${what}: the server sent an unreadable response (${e.code}).`, status)
      : new OAuthError(
          e instanceof oauth.OperationProcessingError ? 'invalid_response' : 'unknown_error',
          e?.message,
          status,
          `${what} failed: ${e?.message}`,
        )
  }
  if (status >= 500 || status === 429 || status === 408) {
    // Seconds, or an HTTP date (RFC 9110 §10.2.3).
    const header = res.headers.get('retry-after') ?? ''
    const retryAfter = /^\d+$/.test(header)
      ? Number(header)
      : Math.ceil((Date.parse(header) - Date.now()) / 1000)
    return new NetworkError(
      `${what}: the server is unavailable (HTTP ${status}). Try again later.`,
      status,
      retryAfter > 0 ? retryAfter : undefined,
    )
  }
  // An error status decides, whatever the body (JSON error, challenge, empty, HTML).
  const params =
    err instanceof oauth.WWWAuthenticateChallengeError
      ? err.cause[0]?.parameters
      : (err as Partial<oauth.OAuth2Error>)
  return new OAuthError(params?.error ?? `http_${status}`, params?.error_description, status)
}

/** What to do with the session after a refresh (or silent renewal) failed. */
export type Verdict =
  /** The server refused the grant: the session is over, in every tab. */
  | { action: 'end'; error: LoginRequiredError }
  /** A passing fault: keep the session, send nothing before `afterMs`, then try again. */
  | { action: 'retry'; afterMs: number; error: AuthError }
  /** Keep the session and the token, refuse this call (extra scopes, another API refused). */
  | { action: 'keep'; error: AuthError }

const BASE_BACKOFF = 5_000
/** The longest wait, whatever `Retry-After` says. */
export const MAX_BACKOFF = 300_000
/** Silent renewals that time out (third-party cookies or framing blocked) before we give up. */
export const SILENT_ATTEMPTS = 3
/**
 * Errors that are no verdict on the session: the server's passing trouble (RFC 6749 §4.1.2.1), an
 * answer we could not place, and DPoP trouble, which is the proof's or the nonce's (RFC 9449 §7.1).
 */
const PASSING = [
  'server_error',
  'temporarily_unavailable',
  'unknown_error',
  'use_dpop_nonce',
  'invalid_dpop_proof',
]

/** How a refresh was asked for: by iframe (`silent`), with extra `scope`, for another `resource`. */
export interface Asked {
  silent?: boolean
  scope?: string
  resource?: string
}

/**
 * The one decision on a failed refresh, used by the background timer and by on-demand calls alike.
 * `failures` counts the failures before this one; `silent` is true for iframe renewal; `scope` is
 * what the call asked for beyond the login's scopes; `resource` an API other than the login's.
 */
export function decide(
  error: AuthError,
  failures: number,
  { silent = false, scope, resource }: Asked = {},
): Verdict {
  const code = (error as OAuthError).error
  if (scope && code === 'invalid_scope') {
    return {
      action: 'keep',
      error: new LoginRequiredError(
        `Scope "${scope}" needs a new login: call login({ scope }).`,
        code,
        scope,
      ),
    }
  }
  // A refusal for one API (RFC 8707) says nothing about the session and its other tokens.
  if (resource && code === 'invalid_target') return { action: 'keep', error }
  // Any other OAuth error is a refusal: `invalid_grant`, but also the 401, 403 or empty 400 that
  // real servers answer, an `error=` from silent renewal, or an answer that failed validation.
  const refused =
    error instanceof LoginRequiredError || (error instanceof OAuthError && !PASSING.includes(code))
  if (refused)
    return {
      action: 'end',
      error:
        error instanceof LoginRequiredError
          ? error
          : new LoginRequiredError(`The session has ended (${code}): call login().`, code),
    }
  if (silent && error instanceof TimeoutError && failures + 1 >= SILENT_ATTEMPTS) {
    const blocked = 'Silent renewal keeps timing out (third-party cookies or framing blocked)'
    return {
      action: 'end',
      error: new LoginRequiredError(`${blocked}: call login().`, 'silent_renewal_blocked'),
    }
  }
  // Anything else keeps the session: the network, the server's own trouble, DPoP nonces, storage.
  const asked = (error as NetworkError).retryAfter
  const afterMs = Math.min(MAX_BACKOFF, asked ? asked * 1000 : BASE_BACKOFF * 2 ** failures)
  return { action: 'retry', afterMs, error }
}
