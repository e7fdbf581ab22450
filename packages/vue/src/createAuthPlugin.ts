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
      // `app.mount` into server-rendered HTML hydrates it, and a client on the server rendered
      // `loading`: components start from that, then show the client's state once mounted.
      const mounting = { hydrating: false }
      app.provide(MountingKey, mounting)
      const mount = app.mount
      app.mount = (...args: Parameters<typeof mount>) => {
        const [target] = args
        const el = typeof target === 'string' ? document.querySelector(target) : target
        mounting.hydrating = !!el?.hasChildNodes()
        try {
          return mount(...args)
        } finally {
          mounting.hydrating = false
        }
      }
    },
  }
}

/** Whether the app is hydrating server-rendered HTML right now. */
export const MountingKey: InjectionKey<{ hydrating: boolean }> = Symbol('oauth-spa mounting')

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
