import * as oauth from 'oauth4webapi'
import { AuthError, LoginRequiredError, NetworkError, OAuthError, TimeoutError } from './errors.js'

const INTERACTION = [
  'login_required',
  'interaction_required',
  'consent_required',
  'account_selection_required',
]

/** Whether a server answer means "this grant is dead" rather than "try again later". */
export const isTransient = (err: unknown): boolean => err instanceof NetworkError

/**
 * Maps whatever oauth4webapi or `fetch` threw to one of our typed errors. Server responses are
 * never attached as `cause`: they may carry tokens.
 */
export function toAuthError(err: unknown, what: string): AuthError {
  if (err instanceof AuthError) return err
  if (err instanceof oauth.AuthorizationResponseError) {
    return INTERACTION.includes(err.error)
      ? new LoginRequiredError(
          `The authorization server needs the user to log in again (${err.error}): call login().`,
          err.error,
        )
      : new OAuthError(err.error, err.error_description)
  }
  let status: number | undefined
  let error: string | undefined
  let description: string | undefined
  let retryAfter: string | null = null
  if (err instanceof oauth.ResponseBodyError) {
    ;({ status, error, error_description: description } = err)
    retryAfter = err.response.headers.get('retry-after')
  } else if (err instanceof oauth.WWWAuthenticateChallengeError) {
    status = err.status
    const params = err.cause[0]?.parameters
    error = params?.error ?? 'invalid_client'
    description = params?.error_description
    retryAfter = err.response.headers.get('retry-after')
  } else if (err instanceof oauth.OperationProcessingError) {
    const cause = err.cause
    if (cause instanceof Response) {
      status = cause.status
      retryAfter = cause.headers.get('retry-after')
    }
    // An error status decides, whatever the body (empty, HTML, not JSON); otherwise the body is at fault.
    if (status === undefined || status < 400) {
      // A body we cannot read (HTML from a proxy, truncated JSON) is a passing fault, not a verdict.
      if (
        err.code === oauth.RESPONSE_IS_NOT_JSON ||
        err.code === oauth.PARSE_ERROR ||
        err.code === oauth.RESPONSE_IS_NOT_CONFORM
      ) {
        return new NetworkError(
          `${what}: the server sent an unreadable response (${err.code}).`,
          status,
        )
      }
      return new OAuthError('invalid_response', err.message, status, `${what}: ${err.message}`)
    }
  } else if (
    err instanceof DOMException &&
    (err.name === 'TimeoutError' || err.name === 'AbortError')
  ) {
    return new TimeoutError(`${what} timed out: the server did not answer in time. Try again.`)
  } else if (err instanceof TypeError) {
    return new NetworkError(`${what} failed: the server could not be reached (${err.message}).`)
  } else {
    return new OAuthError(
      'unknown_error',
      String((err as Error)?.message ?? err),
      undefined,
      `${what} failed.`,
    )
  }
  if (status >= 500 || status === 429 || status === 408) {
    const seconds = Number(retryAfter)
    return new NetworkError(
      `${what}: the server is unavailable (HTTP ${status}). Try again later.`,
      status,
      Number.isFinite(seconds) && seconds > 0 ? seconds : undefined,
    )
  }
  return new OAuthError(error ?? `http_${status}`, description, status)
}
