import {
  getCurrentScope,
  onScopeDispose,
  shallowReadonly,
  shallowRef,
  toValue,
  watch,
  type MaybeRefOrGetter,
  type ShallowRef,
} from 'vue'
import type { AccessTokenResult, WatchAccessTokenOptions } from '@oauth-spa/core'
import { useAuthClient } from './createAuthPlugin.js'

/** `forceRefresh` is left out: asked again on every new token, it would refresh forever. */
export type UseAccessTokenOptions = WatchAccessTokenOptions

/** The core's {@link AccessTokenResult} as refs: the same names as React's `{ token, error, status }`. */
export type UseAccessTokenResult = {
  readonly [K in keyof AccessTokenResult]: Readonly<ShallowRef<AccessTokenResult[K]>>
}

/**
 * An access token, kept in this component only: the core's `watchAccessToken` asks again after
 * login, refresh and logout, when the token goes stale, and when the options change. Prefer
 * `client.fetch` for API calls; use this when a token must be handed to something else (a
 * WebSocket, a third-party SDK). On the server it stays `status: 'idle'`.
 *
 * @example
 * ```ts
 * const { token, error, status } = useAccessToken({ resource: 'https://api.example.com' })
 * ```
 */
export function useAccessToken(
  options?: MaybeRefOrGetter<UseAccessTokenOptions | undefined>,
): UseAccessTokenResult {
  const client = useAuthClient()
  const token = shallowRef<string>()
  const error = shallowRef<AccessTokenResult['error']>(null)
  const status = shallowRef<AccessTokenResult['status']>('idle')
  const show = (r: AccessTokenResult) => {
    token.value = r.token
    error.value = r.error
    status.value = r.status
  }
  if (typeof window !== 'undefined') {
    const stop = watch(
      [() => toValue(options)?.resource, () => toValue(options)?.scope],
      ([resource, scope], _, onCleanup) =>
        onCleanup(client.watchAccessToken({ resource, scope }, show)),
      { immediate: true },
    )
    if (getCurrentScope()) onScopeDispose(stop)
  }
  return {
    token: shallowReadonly(token),
    error: shallowReadonly(error),
    status: shallowReadonly(status),
  }
}
