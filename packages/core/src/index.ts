export { createAuthClient } from './client.js'
export type {
  AuthClient,
  AuthState,
  AuthEvents,
  DeviceLogin,
  DeviceLoginOptions,
  GetAccessTokenOptions,
  LoginOptions,
  LogoutOptions,
  StorageInfo,
} from './types.js'
export type { AuthClientOptions } from './config.js'
export type { AccessTokenResult, WatchAccessTokenOptions } from './watch.js'
export { createAuthFetch } from './fetch.js'
export type { AllowedOrigin, AuthFetchOptions } from './fetch.js'
export { dpop } from './dpop.js'
export { verifyIdTokenSignature } from './signature.js'
export type { IdTokenVerifier } from './signature.js'
export type { DPoPLoader } from './dpop.js'
export {
  auth0,
  cognito,
  defineProvider,
  entra,
  keycloak,
  okta,
  rpInitiatedLogoutUrl,
} from './providers.js'
export type {
  AdapterContext,
  IssuerTemplate,
  LogoutInput,
  ProviderAdapter,
  ProviderError,
  ServerMetadata,
} from './providers.js'
export { memoryStore } from './storage.js'
export type { TokenStore } from './storage.js'
export type { User } from './session.js'
export {
  AuthError,
  CallbackError,
  ConfigurationError,
  DeviceLoginError,
  DPoPError,
  InternalError,
  LoginRequiredError,
  NetworkError,
  OAuthError,
  StorageError,
  TimeoutError,
} from './errors.js'
export type { AuthErrorCode } from './errors.js'
