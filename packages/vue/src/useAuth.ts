import {
  getCurrentInstance,
  getCurrentScope,
  inject,
  onMounted,
  onScopeDispose,
  shallowReadonly,
  shallowRef,
  type ShallowRef,
} from 'vue'
import type { AuthClient, AuthState } from '@oauth-spa/core'
import { MountingKey, useAuthClient } from './createAuthPlugin.js'

export interface UseAuthResult {
  /** The client's current snapshot; replaced (never mutated) when it changes. */
  state: Readonly<ShallowRef<AuthState>>
  login: AuthClient['login']
  logout: AuthClient['logout']
}

/**
 * The current {@link AuthState} as a read-only ref, kept up to date until the calling component
 * (or effect scope) is disposed. Narrow on `state.value.status` to read `user`. Pass `client` to
 * use one that was not provided by {@link createAuthPlugin}.
 *
 * @example
 * ```ts
 * const { state, login } = useAuth()
 * const name = computed(() => (state.value.status === 'authenticated' ? state.value.user.name : ''))
 * ```
 */
export function useAuth(client: AuthClient = useAuthClient()): UseAuthResult {
  const current = client.getState()
  // Hydrating server HTML (rendered `loading`): start from that, show the real state once mounted.
  const hydrating =
    !!getCurrentInstance() && inject(MountingKey, null)?.hydrating && current.status !== 'loading'
  const state = shallowRef<AuthState>(
    hydrating
      ? { status: 'loading', user: null, expiresAt: null, error: null, storage: current.storage }
      : current,
  )
  if (hydrating) onMounted(() => (state.value = client.getState()))
  // Not on the server: nothing unmounts there, so a listener would outlive the request.
  if (typeof window !== 'undefined') {
    const unsubscribe = client.subscribe(() => {
      state.value = client.getState()
    })
    if (getCurrentScope()) onScopeDispose(unsubscribe)
  }
  return {
    state: shallowReadonly(state),
    login: (options) => client.login(options),
    logout: (options) => client.logout(options),
  }
}
