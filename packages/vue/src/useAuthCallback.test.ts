import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CallbackError } from '@oauth-spa/core'
import { useAuthCallback } from './useAuthCallback.js'
import { createTestAuth, type TestAuth } from '../../../test-utils/bindings.js'
import { mountWith } from './test/mountWith.js'

let t: TestAuth
beforeEach(() => history.replaceState(null, '', '/'))
afterEach(() => t?.client.destroy())

describe('useAuthCallback', () => {
  it('completes the login once and reports where to go', async () => {
    t = createTestAuth()
    await t.client.login({ returnTo: '/account?tab=2' })
    history.replaceState(null, '', t.callbackUrl())
    const onSuccess = vi.fn()
    const { value } = mountWith(t.client, () => useAuthCallback(onSuccess))
    expect(value.isCallback).toBe(true)
    await vi.waitFor(() => expect(onSuccess).toHaveBeenCalledWith('/account?tab=2'))
    expect(t.token).toHaveBeenCalledTimes(1)
    expect(t.client.getState().status).toBe('authenticated')
    expect(location.search).toBe('')
    expect(value.error.value).toBeNull()
  })

  it('exposes why the response was refused', async () => {
    t = createTestAuth()
    history.replaceState(null, '', '/callback?code=c&state=never-issued')
    const onSuccess = vi.fn()
    const { value } = mountWith(t.client, () => useAuthCallback(onSuccess))
    await vi.waitFor(() => expect(value.error.value).toBeInstanceOf(CallbackError))
    expect(onSuccess).not.toHaveBeenCalled()
  })

  it('does nothing on a page that is not a callback', async () => {
    t = createTestAuth({ server: false })
    const spy = vi.spyOn(t.client, 'handleRedirectCallback')
    const { value } = mountWith(t.client, () => useAuthCallback())
    await flushPromises()
    expect(value.isCallback).toBe(false)
    expect(spy).not.toHaveBeenCalled()
  })
})
