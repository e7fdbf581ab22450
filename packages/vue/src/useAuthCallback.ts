import {
  getCurrentInstance,
  onMounted,
  onScopeDispose,
  getCurrentScope,
  readonly,
  ref,
  type Ref,
} from 'vue'
import type { AuthClient, AuthError } from '@oauth-spa/core'
import { useAuthClient } from './createAuthPlugin.js'

export interface UseAuthCallbackOptions {
  /** Called once the login completed, with the same-origin path to go to. Navigate there. */
  onSuccess?: (returnTo: string) => void
}

export interface UseAuthCallbackResult {
  /**
   * Whether the page was loaded with an authorization response in its URL; `undefined` until the
   * URL was read once mounted (never on the server).
   */
  isCallback: Readonly<Ref<boolean | undefined>>
  /** Why the login could not be completed (`CallbackError`, `OAuthError`, ...). */
  error: Readonly<Ref<AuthError | null>>
}

/**
 * On the redirect URI route: completes the login with `client.handleRedirectCallback()` when the
 * URL holds an authorization response, then calls `onSuccess(returnTo)`. It does not navigate.
 * The URL is read once mounted, never during server rendering.
 *
 * @example
 * ```ts
 * const router = useRouter()
 * const { error } = useAuthCallback({ onSuccess: (returnTo) => router.replace(returnTo) })
 * ```
 */
export function useAuthCallback(
  options: UseAuthCallbackOptions = {},
  client: AuthClient = useAuthClient(),
): UseAuthCallbackResult {
  const isCallback = ref<boolean>()
  const error = ref<AuthError | null>(null)
  let stale = false
  if (getCurrentScope()) onScopeDispose(() => (stale = true))
  const run = () => {
    isCallback.value = client.isCallback()
    if (!isCallback.value) return
    client.handleRedirectCallback().then(
      ({ returnTo }) => !stale && options.onSuccess?.(returnTo),
      (err: AuthError) => !stale && (error.value = err),
    )
  }
  // Outside a component (an effect scope in a browser) there is no mount to wait for.
  if (getCurrentInstance()) onMounted(run)
  else run()
  return {
    isCallback: readonly(isCallback) as Readonly<Ref<boolean | undefined>>,
    error: readonly(error) as Readonly<Ref<AuthError | null>>,
  }
}
