import * as oauth from 'oauth4webapi'
import { AuthError, LoginRequiredError, NetworkError, OAuthError, TimeoutError } from './errors.js'

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
  if (err instanceof TypeError)
    return new NetworkError(`${what}: the server is unreachable (${err.message}).`)
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
    const retryAfter = Number(res.headers.get('retry-after'))
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
