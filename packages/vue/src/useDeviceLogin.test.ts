import { flushPromises } from '@vue/test-utils'
import { DeviceLoginError } from '@oauth-spa/core'
import { describe, expect, it } from 'vitest'
import { createTestAuthClient } from '@oauth-spa/core/testing'
import { useDeviceLogin } from './useDeviceLogin.js'
import { mountWith } from './test/mountWith.js'

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
})
