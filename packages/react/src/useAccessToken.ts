import { useEffect, useState, useSyncExternalStore } from 'react'
import type { AuthError, GetAccessTokenOptions } from '@oauth-spa/core'
import { useAuthClient } from './AuthProvider.js'

/** `forceRefresh` is left out: re-run on every new token, it would refresh forever. */
export type UseAccessTokenOptions = Omit<GetAccessTokenOptions, 'forceRefresh'>

export interface UseAccessTokenResult {
  /** The token, kept in this component's state only. `undefined` while loading or logged out. */
  token: string | undefined
  /** What `getAccessToken` threw, e.g. `LoginRequiredError` when logged out. */
  error: AuthError | null
  loading: boolean
}

/**
 * An access token from `client.getAccessToken(options)`, asked for again whenever the session
 * changes (login, logout, refresh: `state.expiresAt`). Prefer `client.fetch` for API calls; use this
 * when a token must be handed to something else (a WebSocket, a third-party SDK).
 *
 * @example
 * ```tsx
 * const { token, error } = useAccessToken({ resource: 'https://api.example.com' })
 * ```
 */
export function useAccessToken(options?: UseAccessTokenOptions): UseAccessTokenResult {
  const client = useAuthClient()
  const { status, expiresAt } = useSyncExternalStore(
    client.subscribe,
    client.getState,
    client.getState,
  )
  const [result, setResult] = useState<UseAccessTokenResult>({
    token: undefined,
    error: null,
    loading: true,
  })
  const resource = options?.resource
  const scope = options?.scope

  useEffect(() => {
    if (status === 'loading') return
    let stale = false
    setResult((r) => ({
      ...r,
      token: status === 'authenticated' ? r.token : undefined,
      loading: true,
    }))
    client.getAccessToken({ resource, scope }).then(
      (token) => !stale && setResult({ token, error: null, loading: false }),
      (error: AuthError) => !stale && setResult({ token: undefined, error, loading: false }),
    )
    return () => {
      stale = true
    }
  }, [client, status, expiresAt, resource, scope])

  return result
}
