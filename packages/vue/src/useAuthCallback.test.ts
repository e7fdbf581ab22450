import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { CallbackError } from '@oauth-spa/core'
import { createTestAuthClient } from '@oauth-spa/core/testing'
import { useAuthCallback } from './useAuthCallback.js'
import { createTestAuth, type TestAuth } from '../../../test-utils/bindings.js'
import { mountWith } from './test/mountWith.js'

let t: TestAuth | undefined
beforeEach(() => history.replaceState(null, '', '/'))
afterEach(() => {
  t?.client.destroy()
  t = undefined
})

describe('useAuthCallback', () => {
  it('completes the login once and reports where to go', async () => {
    const real = (t = createTestAuth())
    await real.client.login({ returnTo: '/account?tab=2' })
    history.replaceState(null, '', real.callbackUrl())
    const onSuccess = vi.fn()
    const { value } = mountWith(real.client, () => useAuthCallback({ onSuccess }))
    expect(value.isCallback.value).toBe(true)
    await vi.waitFor(() => expect(onSuccess).toHaveBeenCalledWith('/account?tab=2'))
    expect(real.token).toHaveBeenCalledTimes(1)
    expect(real.client.getState().status).toBe('authenticated')
    expect(location.search).toBe('')
    expect(value.error.value).toBeNull()
  })

  it('exposes why the response was refused', async () => {
    const real = (t = createTestAuth())
    history.replaceState(null, '', '/callback?code=c&state=never-issued')
    const onSuccess = vi.fn()
    const { value } = mountWith(real.client, () => useAuthCallback({ onSuccess }))
    await vi.waitFor(() => expect(value.error.value).toBeInstanceOf(CallbackError))
    expect(onSuccess).not.toHaveBeenCalled()
  })

  it('does nothing on a page that is not a callback', async () => {
    const auth = createTestAuthClient()
    const { value } = mountWith(auth, () => useAuthCallback())
    await flushPromises()
    expect(value.isCallback.value).toBe(false)
    expect(auth.calls.handleRedirectCallback).toEqual([])
  })

  it('reads the URL once mounted, not in setup (server rendering)', async () => {
    history.replaceState(null, '', '/callback?code=c&state=s')
    const auth = createTestAuthClient()
    let duringSetup: boolean | undefined | 'unset' = 'unset'
    const { value } = mountWith(auth, () => {
      const result = useAuthCallback()
      duringSetup = result.isCallback.value
      return result
    })
    expect(duringSetup).toBeUndefined()
    expect(value.isCallback.value).toBe(true)
    expect(auth.calls.handleRedirectCallback).toEqual([undefined])
  })

  it('works in an effect scope outside a component', async () => {
    history.replaceState(null, '', '/callback?code=c&state=s')
    const auth = createTestAuthClient()
    await auth.login({ returnTo: '/back' })
    const onSuccess = vi.fn()
    const scope = effectScope()
    const result = scope.run(() => useAuthCallback({ onSuccess }, auth))!
    expect(result.isCallback.value).toBe(true)
    await vi.waitFor(() => expect(onSuccess).toHaveBeenCalledWith('/back'))
    scope.stop()
  })
})
