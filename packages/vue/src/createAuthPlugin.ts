import { hasInjectionContext, inject, type InjectionKey, type Plugin } from 'vue'
import type { AuthClient } from '@oauth-spa/core'

/** Where the plugin provides the client; `provide(AuthClientKey, client)` to override it in a subtree. */
export const AuthClientKey: InjectionKey<AuthClient> = Symbol('oauth-spa client')

/**
 * Provides `client` to every component of the app, for {@link useAuth} and {@link useAccessToken}.
 * It does not own the client: create it once at module level.
 *
 * @example
 * ```ts
 * const auth = createAuthClient({ issuer, clientId, redirectUri: location.origin + '/callback' })
 * createApp(App).use(createAuthPlugin(auth)).mount('#app')
 * ```
 */
export function createAuthPlugin(client: AuthClient): Plugin {
  return {
    install(app) {
      app.provide(AuthClientKey, client)
    },
  }
}

/** The client provided by {@link createAuthPlugin}; call it in `setup()`. Throws when there is none. */
export function useAuthClient(): AuthClient {
  const client = hasInjectionContext() ? inject(AuthClientKey, null) : null
  if (!client) {
    throw new Error(
      'useAuthClient() found no client: call it inside setup(), in an app that did app.use(createAuthPlugin(client)) (from @oauth-spa/vue).',
    )
  }
  return client
}
