import type { ReactNode } from 'react'
import { act, renderHook, waitFor } from '@testing-library/react'
import { DeviceLoginError } from '@oauth-spa/core'
import { describe, expect, it, vi } from 'vitest'
import { AuthProvider } from './AuthProvider.js'
import { useDeviceLogin } from './useDeviceLogin.js'
import { createTestAuthClient, type TestAuthClient } from '@oauth-spa/core/testing'

const setup = () => {
  const auth = createTestAuthClient()
  const wrapper = ({ children }: { children: ReactNode }) => (
    <AuthProvider client={auth}>{children}</AuthProvider>
  )
  return { auth, ...renderHook(() => useDeviceLogin(), { wrapper }) }
}

/** The double's `deviceLogin()`, asking the server only once `answer()` is called (oldest first). */
function slowDeviceLogin(auth: TestAuthClient) {
  const deviceLogin = auth.deviceLogin
  const waiting: (() => void)[] = []
  vi.spyOn(auth, 'deviceLogin').mockImplementation(async (options) => {
    await new Promise<void>((go) => waiting.push(go))
    return deviceLogin(options)
  })
  return { answer: () => waiting.shift()!() }
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

  it('unmounting while the code is on its way cancels the device login when it arrives', async () => {
    const { auth, result, unmount } = setup()
    const { answer } = slowDeviceLogin(auth)
    let started!: Promise<void>
    act(() => void (started = result.current.start()))
    expect(result.current.status).toBe('starting')
    unmount()
    answer()
    await started
    expect(auth.calls.deviceLogin).toHaveLength(1)
    expect(() => auth.approveDeviceLogin()).toThrow(/pending/)
    expect(auth.getState().status).toBe('unauthenticated')
  })

  it('start() twice before the first code arrives: only the second device login is live', async () => {
    const { auth, result } = setup()
    const { answer } = slowDeviceLogin(auth)
    let first!: Promise<void>
    let second!: Promise<void>
    act(() => {
      first = result.current.start({ scope: 'a' })
      second = result.current.start({ scope: 'b' })
    })
    await act(async () => {
      answer()
      await first
    })
    expect(result.current.status).toBe('starting')
    expect(() => auth.approveDeviceLogin()).toThrow(/pending/)

    await act(async () => {
      answer()
      await second
    })
    expect(result.current).toMatchObject({ status: 'pending', userCode: 'TEST-CODE' })
    act(() => auth.approveDeviceLogin({ name: 'Ada' }))
    await waitFor(() => expect(result.current.status).toBe('approved'))
    expect(auth.calls.deviceLogin).toEqual([{ scope: 'a' }, { scope: 'b' }])
  })

  it('cancel() while the code is on its way: failed (aborted), and nothing stays live', async () => {
    const { auth, result } = setup()
    const { answer } = slowDeviceLogin(auth)
    let started!: Promise<void>
    act(() => void (started = result.current.start()))
    act(() => result.current.cancel())
    expect(result.current.status).toBe('failed')
    expect(result.current.error).toBeInstanceOf(DeviceLoginError)
    expect(result.current.error?.code).toBe('aborted')

    await act(async () => {
      answer()
      await started
    })
    expect(result.current).toMatchObject({ status: 'failed', userCode: undefined })
    expect(() => auth.approveDeviceLogin()).toThrow(/pending/)
  })
})
