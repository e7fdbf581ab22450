/**
 * Base class: `switch (err.code)` narrows to the subclass. Messages never contain tokens,
 * codes or verifiers.
 */
export class AuthError extends Error {
  code = 'oauth_error'
  // Spelled out: minifiers rename classes, so `constructor.name` is not stable in production.
  name = 'AuthError'
}
/**
 * The authorization server answered with an OAuth error (`error`, `error_description`).
 * `error_description` is the server's text: show it as text, never as HTML.
 */
export class OAuthError extends AuthError {
  error
  error_description
  status
  code = 'oauth_error'
  name = 'OAuthError'
  constructor(
    error,
    error_description,
    status,
    message = `The authorization server answered "${error}"${error_description ? `: ${error_description}` : ''}.`,
  ) {
    super(message)
    this.error = error
    this.error_description = error_description
    this.status = status
  }
}
/** No usable session: call `login()`. `scope`/`resource` say what a new login should ask for. */
export class LoginRequiredError extends AuthError {
  reason
  scope
  code = 'login_required'
  name = 'LoginRequiredError'
  constructor(message = 'Not logged in, or the session has ended: call login().', reason, scope) {
    super(message)
    this.reason = reason
    this.scope = scope
  }
}
/** The redirect back from the authorization server was not accepted (state, iss, replay, ...). */
export class CallbackError extends AuthError {
  reason
  code = 'callback_error'
  name = 'CallbackError'
  constructor(message, reason) {
    super(message)
    this.reason = reason
  }
}
/** The server could not be reached, or answered with a 5xx / 429 / unreadable body. Retry later. */
export class NetworkError extends AuthError {
  status
  retryAfter
  code = 'network_error'
  name = 'NetworkError'
  constructor(message, status, retryAfter) {
    super(message)
    this.status = status
    this.retryAfter = retryAfter
  }
}
/** A request took longer than `timeout` milliseconds. */
export class TimeoutError extends NetworkError {
  code = 'timeout'
  name = 'TimeoutError'
}
/** The options passed to `createAuthClient` are wrong; the message says what to pass instead. */
export class ConfigurationError extends AuthError {
  code = 'configuration_error'
  name = 'ConfigurationError'
}
/** Persistent storage failed; the SDK went on in memory. */
export class StorageError extends AuthError {
  code = 'storage_error'
  name = 'StorageError'
}
/** DPoP could not be used (key missing, server did not bind the token, nonce not readable). */
export class DPoPError extends AuthError {
  code = 'dpop_error'
  name = 'DPoPError'
}
/** A DPoP nonce the server sent but CORS hides from the page: say exactly what the server must add. */
export const nonceNotReadable = (origin) =>
  new DPoPError(
    `${origin} asked for a DPoP nonce the browser cannot read: it must send "Access-Control-Expose-Headers: DPoP-Nonce, WWW-Authenticate".`,
  )
/** A bug, in the SDK or in code it calls (a custom store, an event listener): not a network fault. */
export class InternalError extends AuthError {
  code = 'internal_error'
  name = 'InternalError'
}
/**
 * How a device login ended without a session: `access_denied` (the person said no on the other
 * device), `expired_token` (the code ran out before anyone approved: start again) or `aborted`
 * (`cancel()`, or the client was destroyed). The `code` itself says which.
 */
export class DeviceLoginError extends AuthError {
  code
  name = 'DeviceLoginError'
  constructor(code, message) {
    super(message)
    this.code = code
  }
}
//# sourceMappingURL=errors.js.map
