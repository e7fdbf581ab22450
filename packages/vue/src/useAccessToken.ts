import {
  shallowReadonly,
  shallowRef,
  toValue,
  watch,
  type MaybeRefOrGetter,
  type ShallowRef,
} from 'vue'
import type { AuthError, GetAccessTokenOptions } from '@oauth-spa/core'
import { useAuthClient } from './createAuthPlugin.js'
import { useAuth } from './useAuth.js'

/** `forceRefresh` is left out: re-run on every new token, it would refresh forever. */
export type UseAccessTokenOptions = Omit<GetAccessTokenOptions, 'forceRefresh'>

export interface UseAccessTokenResult {
  /** The token, kept in this component only. `undefined` while loading or logged out. */
  token: Readonly<ShallowRef<string | undefined>>
  /** What `getAccessToken` threw, e.g. `LoginRequiredError` when logged out. */
  error: Readonly<ShallowRef<AuthError | null>>
  loading: Readonly<ShallowRef<boolean>>
}

/**
 * An access token from `client.getAccessToken(options)`, asked for again whenever the session
 * changes (login, logout, refresh: `state.expiresAt`) or the options do. Prefer `client.fetch` for
 * API calls; use this when a token must be handed to something else (a WebSocket, a third-party SDK).
 *
 * @example
 * ```ts
 * const { token, error } = useAccessToken({ resource: 'https://api.example.com' })
 * ```
 */
export function useAccessToken(
  options?: MaybeRefOrGetter<UseAccessTokenOptions | undefined>,
): UseAccessTokenResult {
  const client = useAuthClient()
  const { state } = useAuth(client)
  const token = shallowRef<string>()
  const error = shallowRef<AuthError | null>(null)
  const loading = shallowRef(true)

  watch(
    [
      () => state.value.status,
      () => state.value.expiresAt,
      () => toValue(options)?.resource,
      () => toValue(options)?.scope,
    ],
    ([status, , resource, scope], _, onCleanup) => {
      if (status === 'loading') return
      let stale = false
      onCleanup(() => (stale = true))
      if (status !== 'authenticated') token.value = undefined
      loading.value = true
      client.getAccessToken({ resource, scope }).then(
        (value) => {
          if (stale) return
          token.value = value
          error.value = null
          loading.value = false
        },
        (err: AuthError) => {
          if (stale) return
          token.value = undefined
          error.value = err
          loading.value = false
        },
      )
    },
    { immediate: true },
  )

  return {
    token: shallowReadonly(token),
    error: shallowReadonly(error),
    loading: shallowReadonly(loading),
  }
}
