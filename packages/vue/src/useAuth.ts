import {
  computed,
  getCurrentInstance,
  getCurrentScope,
  inject,
  onMounted,
  onScopeDispose,
  shallowReadonly,
  shallowRef,
  type Ref,
  type ShallowRef,
} from 'vue'
import type { AuthClient, AuthState } from '@oauth-spa/core'
import { MountingKey, useAuthClient } from './createAuthPlugin.js'

/**
 * React's `useAuth()` result with each state field as a read-only ref: `status`, `user`,
 * `expiresAt`, `error`, `storage`, `login`, `logout` — plus `state`, the whole snapshot.
 */
export type UseAuthResult = {
  readonly [K in keyof AuthState]: Readonly<Ref<AuthState[K]>>
} & {
  /**
   * The client's current snapshot; replaced (never mutated) when it changes. Kept for code
   * written before the fields above; narrow `state.value.status` to have `user` typed as non-null.
   */
  readonly state: Readonly<ShallowRef<AuthState>>
  login: AuthClient['login']
  logout: AuthClient['logout']
}

/**
 * The current {@link AuthState}, field by field as read-only refs (the names of React's
 * `useAuth()`), kept up to date until the calling component (or effect scope) is disposed. Each
 * field is computed from one snapshot ref (`state`, still returned), so a template reading
 * `status` re-renders only when `status` changes. Pass `client` to use one that was not provided
 * by {@link createAuthPlugin}.
 *
 * @example
 * ```ts
 * const { status, user, login, logout } = useAuth()
 * const name = computed(() => user.value?.name ?? '')
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
  const field = <K extends keyof AuthState>(key: K) => computed(() => state.value[key])
  return {
    state: shallowReadonly(state),
    status: field('status'),
    user: field('user'),
    expiresAt: field('expiresAt'),
    error: field('error'),
    storage: field('storage'),
    login: (options) => client.login(options),
    logout: (options) => client.logout(options),
  }
}
