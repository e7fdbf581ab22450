import { flushPromises } from '@vue/test-utils'
import { DeviceLoginError } from '@oauth-spa/core'
import { describe, expect, it, vi } from 'vitest'
import { createTestAuthClient, type TestAuthClient } from '@oauth-spa/core/testing'
import { useDeviceLogin } from './useDeviceLogin.js'
import { mountWith } from './test/mountWith.js'

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
    const auth = createTestAuthClient()
    const { value } = mountWith(auth, () => useDeviceLogin())
    expect(value.status.value).toBe('idle')
    await value.start({ scope: 'read' })
    expect(auth.calls.deviceLogin).toEqual([{ scope: 'read' }])
    expect(value.status.value).toBe('pending')
    expect(value.userCode.value).toBe('TEST-CODE')
    expect(value.verificationUri.value).toBe('https://as.example/device')
    expect(value.verificationUriComplete.value).toBe(
      'https://as.example/device?user_code=TEST-CODE',
    )
    auth.approveDeviceLogin({ name: 'Ada' })
    await flushPromises()
    expect(value.status.value).toBe('approved')
    expect(value.userCode.value).toBeUndefined()
    expect(auth.getState().status).toBe('authenticated')
  })

  it('denied, cancelled, or failing to start: failed with the error', async () => {
    const auth = createTestAuthClient()
    const { value } = mountWith(auth, () => useDeviceLogin())
    await value.start()
    auth.denyDeviceLogin('access_denied')
    await flushPromises()
    expect(value.status.value).toBe('failed')
    expect(value.error.value).toBeInstanceOf(DeviceLoginError)
    expect(value.error.value?.code).toBe('access_denied')

    await value.start()
    value.cancel()
    await flushPromises()
    expect(value.error.value?.code).toBe('aborted')

    auth.failNext('deviceLogin')
    await value.start()
    expect(value.status.value).toBe('failed')
  })

  it('unmounting cancels the device login', async () => {
    const auth = createTestAuthClient()
    const { value, wrapper } = mountWith(auth, () => useDeviceLogin())
    await value.start()
    wrapper.unmount()
    expect(() => auth.approveDeviceLogin()).toThrow(/pending/)
  })

  it('unmounting while the code is on its way cancels the device login when it arrives', async () => {
    const auth = createTestAuthClient()
    const { answer } = slowDeviceLogin(auth)
    const { value, wrapper } = mountWith(auth, () => useDeviceLogin())
    const started = value.start()
    expect(value.status.value).toBe('starting')
    wrapper.unmount()
    answer()
    await started
    expect(auth.calls.deviceLogin).toHaveLength(1)
    expect(() => auth.approveDeviceLogin()).toThrow(/pending/)
    expect(auth.getState().status).toBe('unauthenticated')
  })

  it('start() twice before the first code arrives: only the second device login is live', async () => {
    const auth = createTestAuthClient()
    const { answer } = slowDeviceLogin(auth)
    const { value } = mountWith(auth, () => useDeviceLogin())
    const first = value.start({ scope: 'a' })
    const second = value.start({ scope: 'b' })
    answer()
    await first
    expect(value.status.value).toBe('starting')
    expect(() => auth.approveDeviceLogin()).toThrow(/pending/)

    answer()
    await second
    expect(value.status.value).toBe('pending')
    expect(value.userCode.value).toBe('TEST-CODE')
    auth.approveDeviceLogin({ name: 'Ada' })
    await flushPromises()
    expect(value.status.value).toBe('approved')
    expect(auth.calls.deviceLogin).toEqual([{ scope: 'a' }, { scope: 'b' }])
  })

  it('cancel() while the code is on its way: failed (aborted), and nothing stays live', async () => {
    const auth = createTestAuthClient()
    const { answer } = slowDeviceLogin(auth)
    const { value } = mountWith(auth, () => useDeviceLogin())
    const started = value.start()
    value.cancel()
    expect(value.status.value).toBe('failed')
    expect(value.error.value).toBeInstanceOf(DeviceLoginError)
    expect(value.error.value?.code).toBe('aborted')

    answer()
    await started
    expect(value.status.value).toBe('failed')
    expect(value.userCode.value).toBeUndefined()
    expect(() => auth.approveDeviceLogin()).toThrow(/pending/)
  })
})
