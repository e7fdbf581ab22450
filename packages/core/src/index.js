export { createAuthClient } from './client.js'
export { createAuthFetch } from './fetch.js'
export { dpop } from './dpop.js'
export { memoryStore } from './storage.js'
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
//# sourceMappingURL=index.js.map
