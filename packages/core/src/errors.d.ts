/** Stable codes for every error the SDK throws or reports in `state.error`. */
export type AuthErrorCode =
  | 'oauth_error'
  | 'login_required'
  | 'callback_error'
  | 'network_error'
  | 'timeout'
  | 'configuration_error'
  | 'storage_error'
  | 'dpop_error'
  | 'internal_error'
  | 'access_denied'
  | 'expired_token'
  | 'aborted'
/**
 * Base class: `switch (err.code)` narrows to the subclass. Messages never contain tokens,
 * codes or verifiers.
 */
export declare class AuthError extends Error {
  readonly code: AuthErrorCode
  name: string
}
/**
 * The authorization server answered with an OAuth error (`error`, `error_description`).
 * `error_description` is the server's text: show it as text, never as HTML.
 */
export declare class OAuthError extends AuthError {
  readonly error: string
  readonly error_description?: string | undefined
  readonly status?: number | undefined
  readonly code: AuthErrorCode
  name: string
  constructor(
    error: string,
    error_description?: string | undefined,
    status?: number | undefined,
    message?: string,
  )
}
/** No usable session: call `login()`. `scope`/`resource` say what a new login should ask for. */
export declare class LoginRequiredError extends AuthError {
  readonly reason?: string | undefined
  readonly scope?: string | undefined
  readonly code = 'login_required'
  name: string
  constructor(message?: string, reason?: string | undefined, scope?: string | undefined)
}
/** The redirect back from the authorization server was not accepted (state, iss, replay, ...). */
export declare class CallbackError extends AuthError {
  readonly reason:
    | 'no_response'
    | 'unknown_state'
    | 'expired'
    | 'invalid_response'
    | 'in_helper_window'
    | 'popup_blocked'
    | 'popup_closed'
  readonly code = 'callback_error'
  name: string
  constructor(
    message: string,
    reason:
      | 'no_response'
      | 'unknown_state'
      | 'expired'
      | 'invalid_response'
      | 'in_helper_window'
      | 'popup_blocked'
      | 'popup_closed',
  )
}
/** The server could not be reached, or answered with a 5xx / 429 / unreadable body. Retry later. */
export declare class NetworkError extends AuthError {
  readonly status?: number | undefined
  readonly retryAfter?: number | undefined
  readonly code: AuthErrorCode
  name: string
  constructor(message: string, status?: number | undefined, retryAfter?: number | undefined)
}
/** A request took longer than `timeout` milliseconds. */
export declare class TimeoutError extends NetworkError {
  readonly code = 'timeout'
  name: string
}
/** The options passed to `createAuthClient` are wrong; the message says what to pass instead. */
export declare class ConfigurationError extends AuthError {
  readonly code = 'configuration_error'
  name: string
}
/** Persistent storage failed; the SDK went on in memory. */
export declare class StorageError extends AuthError {
  readonly code = 'storage_error'
  name: string
}
/** DPoP could not be used (key missing, server did not bind the token, nonce not readable). */
export declare class DPoPError extends AuthError {
  readonly code = 'dpop_error'
  name: string
}
/** A DPoP nonce the server sent but CORS hides from the page: say exactly what the server must add. */
export declare const nonceNotReadable: (origin: string) => DPoPError
/** A bug, in the SDK or in code it calls (a custom store, an event listener): not a network fault. */
export declare class InternalError extends AuthError {
  readonly code = 'internal_error'
  name: string
}
/**
 * How a device login ended without a session: `access_denied` (the person said no on the other
 * device), `expired_token` (the code ran out before anyone approved: start again) or `aborted`
 * (`cancel()`, or the client was destroyed). The `code` itself says which.
 */
export declare class DeviceLoginError extends AuthError {
  readonly code: 'access_denied' | 'expired_token' | 'aborted'
  name: string
  constructor(code: 'access_denied' | 'expired_token' | 'aborted', message: string)
}
