import { getCurrentScope, onScopeDispose, readonly, ref, type Ref } from 'vue'
import type { AuthClient, AuthError } from '@oauth-spa/core'
import { useAuthClient } from './createAuthPlugin.js'

export interface UseAuthCallbackResult {
  /** Whether the page was loaded with an authorization response in its URL. */
  isCallback: boolean
  /** Why the login could not be completed (`CallbackError`, `OAuthError`, ...). */
  error: Readonly<Ref<AuthError | null>>
}

/**
 * On the redirect URI route: completes the login with `client.handleRedirectCallback()` when the
 * URL holds an authorization response, then calls `onSuccess(returnTo)`. It does not navigate.
 *
 * @example
 * ```ts
 * const router = useRouter()
 * const { error } = useAuthCallback((returnTo) => router.replace(returnTo))
 * ```
 */
export function useAuthCallback(
  onSuccess?: (returnTo: string) => void,
  client: AuthClient = useAuthClient(),
): UseAuthCallbackResult {
  const error = ref<AuthError | null>(null)
  const isCallback = client.isCallback()
  if (isCallback) {
    let stale = false
    if (getCurrentScope()) onScopeDispose(() => (stale = true))
    client.handleRedirectCallback().then(
      ({ returnTo }) => !stale && onSuccess?.(returnTo),
      (err: AuthError) => !stale && (error.value = err),
    )
  }
  return { isCallback, error: readonly(error) as Readonly<Ref<AuthError | null>> }
}
