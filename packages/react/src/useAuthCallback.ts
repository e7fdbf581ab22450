import { useEffect, useRef, useState } from 'react'
import type { AuthError } from '@oauth-spa/core'
import { useAuthClient } from './AuthProvider.js'

export interface UseAuthCallbackOptions {
  /** Called once the login completed, with the same-origin path to go to. Navigate there. */
  onSuccess?: (returnTo: string) => void
}

export interface UseAuthCallbackResult {
  /**
   * Whether the page was loaded with an authorization response in its URL; `undefined` until the
   * URL was read, after the first render (never on the server, nor during hydration).
   */
  isCallback: boolean | undefined
  /** Why the login could not be completed (`CallbackError`, `OAuthError`, ...). */
  error: AuthError | null
}

/**
 * On the redirect URI route: completes the login with `client.handleRedirectCallback()` when the
 * URL holds an authorization response, then calls `onSuccess(returnTo)`. It does not navigate.
 *
 * @example
 * ```tsx
 * function Callback() {
 *   const navigate = useNavigate()
 *   const { error } = useAuthCallback({ onSuccess: (to) => navigate(to, { replace: true }) })
 *   return error ? <p>Login failed: {error.message}</p> : <p>Signing you in…</p>
 * }
 * ```
 */
export function useAuthCallback(options: UseAuthCallbackOptions = {}): UseAuthCallbackResult {
  const client = useAuthClient()
  const [isCallback, setIsCallback] = useState<boolean>()
  const [error, setError] = useState<AuthError | null>(null)
  // Read in the effect, never in render (server rendering, hydration), and kept: the core cleans
  // the address bar, and a re-run effect (StrictMode) must hand the same response to the core,
  // which answers it with the same promise.
  const url = useRef<string>(undefined)
  const onSuccess = useRef(options.onSuccess)
  useEffect(() => {
    onSuccess.current = options.onSuccess
  })

  useEffect(() => {
    url.current ??= location.href
    const callback = client.isCallback(url.current)
    setIsCallback(callback)
    if (!callback) return
    let stale = false
    client.handleRedirectCallback(url.current).then(
      ({ returnTo }) => !stale && onSuccess.current?.(returnTo),
      (err: AuthError) => !stale && setError(err),
    )
    return () => {
      stale = true
    }
  }, [client])

  return { isCallback, error }
}
