import { useEffect, useRef, useSyncExternalStore, type ReactNode } from 'react'
import type { LoginOptions } from '@oauth-spa/core'
import { serverState, useAuthClient } from './AuthProvider.js'

export interface RequireAuthProps {
  children?: ReactNode
  /**
   * Rendered instead of the children until the user is logged in: while the session is read,
   * and while the browser goes to the login page (or a failed login shows `state.error`).
   * Default: nothing.
   */
  fallback?: ReactNode
  /**
   * Where to come back to after the login, a same-origin path. Default: the page's path, query
   * and hash, read when the login starts. Pass it from your router when the URL is not the
   * browser's (a memory router): `returnTo={location.pathname + location.search + location.hash}`.
   */
  returnTo?: string
  /** More for `login()`: `scope`, `prompt`, `popup`... */
  loginOptions?: Omit<LoginOptions, 'returnTo'>
}

/**
 * Renders `children` only for a logged-in user; for anyone else it starts `login()` once,
 * returning to this page afterwards. Works with any router: wrap the route's element.
 *
 * @example
 * ```tsx
 * <Route path="/notes" element={<RequireAuth fallback={<p>Signing you in…</p>}><Notes /></RequireAuth>} />
 * ```
 */
export function RequireAuth({
  children,
  fallback = null,
  returnTo,
  loginOptions,
}: RequireAuthProps) {
  const client = useAuthClient()
  const { status } = useSyncExternalStore(client.subscribe, client.getState, serverState(client))
  const props = useRef({ returnTo, loginOptions })
  useEffect(() => {
    props.current = { returnTo, loginOptions }
  })
  // Once per logged-out spell: StrictMode's second effect, or a failed login, must not start
  // another one.
  const asked = useRef(false)

  useEffect(() => {
    if (status !== 'unauthenticated') {
      asked.current = false
      return
    }
    if (asked.current) return
    asked.current = true
    const { pathname, search, hash } = window.location
    const { returnTo = pathname + search + hash, loginOptions } = props.current
    // A failed login lands in `state.error`; render it from the fallback if you like.
    client.login({ ...loginOptions, returnTo }).catch(() => {})
  }, [client, status])

  return status === 'authenticated' ? children : fallback
}
