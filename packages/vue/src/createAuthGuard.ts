import type { AuthClient, LoginOptions } from '@oauth-spa/core'

/** The part of a vue-router route the guard reads (kept structural: no vue-router import). */
export interface GuardedRoute {
  fullPath: string
  meta: Record<string | number | symbol, unknown>
}

export interface AuthGuardOptions {
  /** More for `login()`: `scope`, `popup`... (`returnTo` is the target route). */
  loginOptions?: Omit<LoginOptions, 'returnTo'>
}

/**
 * A vue-router guard for routes with `meta: { requiresAuth: true }` (on the route or a parent):
 * a logged-out visitor is sent to `login()` with the target's `fullPath` as `returnTo`, and the
 * navigation is cancelled (with `popup`, it goes on once logged in). Other routes, and logged-in
 * users, pass. On the server it lets every navigation through: the session lives in the browser,
 * which runs the guard again when the app starts there.
 *
 * After the callback, navigate to `returnTo` (see `useAuthCallback`) and the user lands on the
 * route they asked for.
 *
 * @example
 * ```ts
 * const router = createRouter({
 *   history: createWebHistory(),
 *   routes: [{ path: '/notes', component: Notes, meta: { requiresAuth: true } }, ...],
 * })
 * router.beforeEach(createAuthGuard(auth))
 * ```
 */
export function createAuthGuard(
  client: AuthClient,
  options: AuthGuardOptions = {},
): (to: GuardedRoute) => Promise<boolean> {
  return async (to) => {
    if (!to.meta.requiresAuth || typeof window === 'undefined') return true
    if (client.getState().status === 'loading') await client.ready
    if (client.getState().status === 'authenticated') return true
    try {
      await client.login({ ...options.loginOptions, returnTo: to.fullPath })
    } catch {
      // Reported in `state.error`; the visitor stays where they were.
    }
    return client.getState().status === 'authenticated'
  }
}
