import type { ReactNode } from 'react'
import { renderHook, waitFor } from '@testing-library/react'
import { CallbackError } from '@oauth-spa/core'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AuthProvider } from './AuthProvider.js'
import { useAuthCallback } from './useAuthCallback.js'
import { createTestAuthClient } from '@oauth-spa/core/testing'
import { createTestAuth, type TestAuth } from '../../../test-utils/bindings.js'

let t: TestAuth
beforeEach(() => history.replaceState(null, '', '/'))
afterEach(() => t?.client.destroy())

const wrapper = ({ children }: { children: ReactNode }) => (
  <AuthProvider client={t.client}>{children}</AuthProvider>
)
// StrictMode at the root: its effects run, are cleaned up, and run again on mount.
const strict = { wrapper, reactStrictMode: true }

describe('useAuthCallback', () => {
  it('completes the login once, even under StrictMode, and reports where to go', async () => {
    t = createTestAuth()
    await t.client.login({ returnTo: '/account?tab=2' })
    history.replaceState(null, '', t.callbackUrl())
    const onSuccess = vi.fn()

    const { result } = renderHook(() => useAuthCallback({ onSuccess }), strict)
    expect(result.current.isCallback).toBe(true)
    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith('/account?tab=2'))
    expect(onSuccess).toHaveBeenCalledTimes(1)
    expect(t.token).toHaveBeenCalledTimes(1)
    expect(t.client.getState().status).toBe('authenticated')
    expect(location.search).toBe('') // the core cleaned the address bar
    expect(result.current.error).toBeNull()
  })

  it('exposes why the response was refused', async () => {
    t = createTestAuth()
    history.replaceState(null, '', '/callback?code=c&state=never-issued')
    const onSuccess = vi.fn()
    const { result } = renderHook(() => useAuthCallback({ onSuccess }), strict)
    await waitFor(() => expect(result.current.error).toBeInstanceOf(CallbackError))
    expect(result.current.error).toMatchObject({ reason: 'unknown_state' })
    expect(onSuccess).not.toHaveBeenCalled()
  })

  it('does nothing on a page that is not a callback', () => {
    const auth = createTestAuthClient()
    const { result } = renderHook(() => useAuthCallback(), {
      wrapper: ({ children }: { children: ReactNode }) => (
        <AuthProvider client={auth}>{children}</AuthProvider>
      ),
      reactStrictMode: true,
    })
    expect(result.current).toEqual({ isCallback: false, error: null })
    expect(auth.calls.handleRedirectCallback).toEqual([])
  })

  it('reads the URL in an effect, not while rendering (server rendering, hydration)', () => {
    history.replaceState(null, '', '/callback?code=c&state=s')
    const auth = createTestAuthClient()
    const seen: (boolean | undefined)[] = []
    const { result } = renderHook(
      () => {
        const r = useAuthCallback()
        seen.push(r.isCallback)
        return r
      },
      { wrapper: ({ children }) => <AuthProvider client={auth}>{children}</AuthProvider> },
    )
    expect(seen[0]).toBeUndefined()
    expect(result.current.isCallback).toBe(true)
    expect(auth.calls.handleRedirectCallback).toEqual([
      'http://localhost:5173/callback?code=c&state=s',
    ])
  })
})
