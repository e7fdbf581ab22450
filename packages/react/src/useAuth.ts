import { useMemo, useSyncExternalStore } from 'react'
import type { AuthClient, AuthState } from '@oauth-spa/core'
import { serverState, useAuthClient } from './AuthProvider.js'

/** The client's state snapshot, plus its `login` and `logout`; the same names in Vue, as refs. */
export type UseAuthResult = AuthState & {
  login: AuthClient['login']
  logout: AuthClient['logout']
}

/**
 * The current {@link AuthState}, re-rendering when it changes. Narrow on `status` to read `user`.
 *
 * @example
 * ```tsx
 * const auth = useAuth()
 * if (auth.status === 'loading') return null
 * if (auth.status === 'unauthenticated') return <button onClick={() => auth.login()}>Log in</button>
 * return <p>Hello {auth.user.name}</p>
 * ```
 */
export function useAuth(): UseAuthResult {
  const client = useAuthClient()
  const state = useSyncExternalStore(client.subscribe, client.getState, serverState(client))
  const actions = useMemo(
    () => ({
      login: (options?: Parameters<AuthClient['login']>[0]) => client.login(options),
      logout: (options?: Parameters<AuthClient['logout']>[0]) => client.logout(options),
    }),
    [client],
  )
  return useMemo(() => ({ ...state, ...actions }), [state, actions])
}
