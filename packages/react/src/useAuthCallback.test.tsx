import type { ReactNode } from 'react'
import { renderHook, waitFor } from '@testing-library/react'
import { CallbackError } from '@oauth-spa/core'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AuthProvider } from './AuthProvider.js'
import { useAuthCallback } from './useAuthCallback.js'
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

  it('does nothing on a page that is not a callback', async () => {
    t = createTestAuth({ server: false })
    const spy = vi.spyOn(t.client, 'handleRedirectCallback')
    const { result } = renderHook(() => useAuthCallback(), strict)
    await t.client.ready
    expect(result.current).toEqual({ isCallback: false, error: null })
    expect(spy).not.toHaveBeenCalled()
  })
})
