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
export class AuthError extends Error {
  readonly code: AuthErrorCode = 'oauth_error'
  // Spelled out: minifiers rename classes, so `constructor.name` is not stable in production.
  override name = 'AuthError'
}

/**
 * The authorization server answered with an OAuth error (`error`, `error_description`).
 * `error_description` is the server's text: show it as text, never as HTML.
 */
export class OAuthError extends AuthError {
  override readonly code: AuthErrorCode = 'oauth_error'
  override name = 'OAuthError'
  constructor(
    readonly error: string,
    readonly error_description?: string,
    readonly status?: number,
    message = `The authorization server answered "${error}"${error_description ? `: ${error_description}` : ''}.`,
  ) {
    super(message)
  }
}

/** No usable session: call `login()`. `scope`/`resource` say what a new login should ask for. */
export class LoginRequiredError extends AuthError {
  override readonly code = 'login_required'
  override name = 'LoginRequiredError'
  constructor(
    message = 'Not logged in, or the session has ended: call login().',
    readonly reason?: string,
    readonly scope?: string,
  ) {
    super(message)
  }
}

/** The redirect back from the authorization server was not accepted (state, iss, replay, ...). */
export class CallbackError extends AuthError {
  override readonly code = 'callback_error'
  override name = 'CallbackError'
  constructor(
    message: string,
    readonly reason:
      | 'no_response'
      | 'unknown_state'
      | 'expired'
      | 'invalid_response'
      | 'in_helper_window'
      | 'popup_blocked'
      | 'popup_closed',
  ) {
    super(message)
  }
}

/** The server could not be reached, or answered with a 5xx / 429 / unreadable body. Retry later. */
export class NetworkError extends AuthError {
  override readonly code: AuthErrorCode = 'network_error'
  override name = 'NetworkError'
  constructor(
    message: string,
    readonly status?: number,
    readonly retryAfter?: number,
  ) {
    super(message)
  }
}

/** A request took longer than `timeout` milliseconds. */
export class TimeoutError extends NetworkError {
  override readonly code = 'timeout'
  override name = 'TimeoutError'
}

/** The options passed to `createAuthClient` are wrong; the message says what to pass instead. */
export class ConfigurationError extends AuthError {
  override readonly code = 'configuration_error'
  override name = 'ConfigurationError'
}

/** Persistent storage failed; the SDK went on in memory. */
export class StorageError extends AuthError {
  override readonly code = 'storage_error'
  override name = 'StorageError'
}

/** DPoP could not be used (key missing, server did not bind the token, nonce not readable). */
export class DPoPError extends AuthError {
  override readonly code = 'dpop_error'
  override name = 'DPoPError'
}

/** A DPoP nonce the server sent but CORS hides from the page: say exactly what the server must add. */
export const nonceNotReadable = (origin: string): DPoPError =>
  new DPoPError(
    `${origin} asked for a DPoP nonce the browser cannot read: it must send "Access-Control-Expose-Headers: DPoP-Nonce, WWW-Authenticate".`,
  )

/** A bug, in the SDK or in code it calls (a custom store, an event listener): not a network fault. */
export class InternalError extends AuthError {
  override readonly code = 'internal_error'
  override name = 'InternalError'
}

/**
 * How a device login ended without a session: `access_denied` (the person said no on the other
 * device), `expired_token` (the code ran out before anyone approved: start again) or `aborted`
 * (`cancel()`, or the client was destroyed). The `code` itself says which.
 */
export class DeviceLoginError extends AuthError {
  override name = 'DeviceLoginError'
  constructor(
    override readonly code: 'access_denied' | 'expired_token' | 'aborted',
    message: string,
  ) {
    super(message)
  }
}
