import { expect, test } from 'vitest'
import * as core from './index.js'

// The public surface: a change here is an API change and should be one on purpose.
test('public exports', () => {
  expect(Object.keys(core).sort()).toEqual([
    'AuthError',
    'CallbackError',
    'ConfigurationError',
    'DPoPError',
    'DeviceLoginError',
    'InternalError',
    'LoginRequiredError',
    'NetworkError',
    'OAuthError',
    'StorageError',
    'TimeoutError',
    'auth0',
    'cognito',
    'createAuthClient',
    'createAuthFetch',
    'defineProvider',
    'dpop',
    'entra',
    'keycloak',
    'memoryStore',
    'okta',
    'rpInitiatedLogoutUrl',
    'verifyIdTokenSignature',
  ])
})
