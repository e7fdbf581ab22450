import { useEffect, useState } from 'react'
import type { AccessTokenResult, WatchAccessTokenOptions } from '@oauth-spa/core'
import { useAuthClient } from './AuthProvider.js'

/** `forceRefresh` is left out: asked again on every new token, it would refresh forever. */
export type UseAccessTokenOptions = WatchAccessTokenOptions

/** `{ token, error, status }`, the core's {@link AccessTokenResult}; the same shape in Vue. */
export type UseAccessTokenResult = AccessTokenResult

const IDLE: AccessTokenResult = { token: undefined, error: null, status: 'idle' }

/**
 * An access token, kept in this component's state only: the core's `watchAccessToken` asks again
 * after login, refresh and logout and when the token goes stale. Prefer `client.fetch` for API
 * calls; use this when a token must be handed to something else (a WebSocket, a third-party SDK).
 * On the server it stays `{ status: 'idle' }`.
 *
 * @example
 * ```tsx
 * const { token, error, status } = useAccessToken({ resource: 'https://api.example.com' })
 * ```
 */
export function useAccessToken(options?: UseAccessTokenOptions): UseAccessTokenResult {
  const client = useAuthClient()
  const [result, setResult] = useState(IDLE)
  const resource = options?.resource
  const scope = options?.scope
  useEffect(
    () => client.watchAccessToken({ resource, scope }, setResult),
    [client, resource, scope],
  )
  return result
}
