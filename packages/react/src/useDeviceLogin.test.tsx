import type { ReactNode } from 'react'
import { act, renderHook, waitFor } from '@testing-library/react'
import { DeviceLoginError } from '@oauth-spa/core'
import { describe, expect, it } from 'vitest'
import { AuthProvider } from './AuthProvider.js'
import { useDeviceLogin } from './useDeviceLogin.js'
import { createTestAuthClient } from '@oauth-spa/core/testing'

const setup = () => {
  const auth = createTestAuthClient()
  const wrapper = ({ children }: { children: ReactNode }) => (
    <AuthProvider client={auth}>{children}</AuthProvider>
  )
  return { auth, ...renderHook(() => useDeviceLogin(), { wrapper }) }
}

describe('useDeviceLogin', () => {
  it('shows the code while pending, then approved with the session in the client', async () => {
    const { auth, result } = setup()
    expect(result.current.status).toBe('idle')
    await act(() => result.current.start({ scope: 'read' }))
    expect(auth.calls.deviceLogin).toEqual([{ scope: 'read' }])
    expect(result.current).toMatchObject({
      status: 'pending',
      userCode: 'TEST-CODE',
      verificationUri: 'https://as.example/device',
      verificationUriComplete: 'https://as.example/device?user_code=TEST-CODE',
      error: null,
    })
    act(() => auth.approveDeviceLogin({ name: 'Ada' }))
    await waitFor(() => expect(result.current.status).toBe('approved'))
    expect(result.current.userCode).toBeUndefined()
    expect(auth.getState().status).toBe('authenticated')
  })

  it('denied, cancelled, or failing to start: failed with the error', async () => {
    const { auth, result } = setup()
    await act(() => result.current.start())
    act(() => auth.denyDeviceLogin('access_denied'))
    await waitFor(() => expect(result.current.status).toBe('failed'))
    expect(result.current.error).toBeInstanceOf(DeviceLoginError)
    expect(result.current.error?.code).toBe('access_denied')

    await act(() => result.current.start())
    act(() => result.current.cancel())
    await waitFor(() => expect(result.current.error?.code).toBe('aborted'))

    auth.failNext('deviceLogin')
    await act(() => result.current.start())
    expect(result.current.status).toBe('failed')
  })

  it('unmounting cancels the device login', async () => {
    const { auth, result, unmount } = setup()
    await act(() => result.current.start())
    unmount()
    expect(() => auth.approveDeviceLogin()).toThrow(/pending/)
  })
})
