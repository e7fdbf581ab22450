import { flushPromises } from '@vue/test-utils'
import { nextTick, shallowRef } from 'vue'
import { LoginRequiredError } from '@oauth-spa/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useAccessToken, type UseAccessTokenOptions } from './useAccessToken.js'
import { createTestAuthClient } from '@oauth-spa/core/testing'
import { createTestAuth, type TestAuth } from '../../../test-utils/bindings.js'
import { countListeners } from '../../../test-utils/bindings.js'
import { mountWith } from './test/mountWith.js'

let t: TestAuth | undefined
afterEach(() => {
  t?.client.destroy()
  t = undefined
})

const settled = async () => {
  await flushPromises()
  await nextTick()
}

describe('useAccessToken', () => {
  it('gives the client’s LoginRequiredError when logged out', async () => {
    const auth = createTestAuthClient({ loading: true })
    const { value } = mountWith(auth, () => useAccessToken())
    expect(value.status.value).toBe('idle')
    auth.signOut()
    await settled()
    expect(value.status.value).toBe('error')
    expect(value.token.value).toBeUndefined()
    expect(value.error.value).toBeInstanceOf(LoginRequiredError)
  })

  it('gives the token when logged in, and asks again when the session changes', async () => {
    const auth = createTestAuthClient({ user: { name: 'Ada' }, token: 'at-1' })
    const { value, wrapper } = mountWith(
      auth,
      () => useAccessToken(),
      ({ token }) => token.value ?? '-',
    )
    await settled()
    expect(wrapper.text()).toBe('at-1')
    expect(value.error.value).toBeNull()

    auth.setToken('at-2', { expiresIn: 100 })
    await settled()
    expect(wrapper.text()).toBe('at-2')

    auth.signOut()
    await settled()
    expect(wrapper.text()).toBe('-')
    expect(value.error.value).toBeInstanceOf(LoginRequiredError)
  })

  it('reports a failed refresh', async () => {
    const auth = createTestAuthClient({ user: { name: 'Ada' }, token: 'at-1', expiresIn: 0 })
    auth.failNextRefresh()
    const { value } = mountWith(auth, () => useAccessToken())
    await settled()
    await settled()
    expect(value.error.value).toBeInstanceOf(LoginRequiredError)
    expect(value.token.value).toBeUndefined()
    expect(auth.getState().status).toBe('unauthenticated')
  })

  it('follows reactive options and ignores answers for earlier ones', async () => {
    const real = (t = createTestAuth())
    await real.signIn()
    const answers = new Map<string, (body: object) => void>()
    real.token.mockImplementation(
      (params) => new Promise((resolve) => answers.set(params.get('resource')!, resolve)),
    )
    const body = (access_token: string) => ({ access_token, token_type: 'Bearer', expires_in: 60 })
    const options = shallowRef<UseAccessTokenOptions>({ resource: 'https://a.example' })
    const { value } = mountWith(real.client, () => useAccessToken(options))
    await vi.waitFor(() => expect(answers.has('https://a.example')).toBe(true))
    options.value = { resource: 'https://b.example' }
    await vi.waitFor(() => expect(answers.has('https://b.example')).toBe(true))

    answers.get('https://b.example')!(body('at-b'))
    await vi.waitFor(() => expect(value.token.value).toBe('at-b'))
    answers.get('https://a.example')!(body('at-a'))
    await real.client.getAccessToken({ resource: 'https://a.example' })
    await settled()
    expect(value.token.value).toBe('at-b')
  })

  it('stops listening when the component unmounts', () => {
    const auth = createTestAuthClient()
    const listeners = countListeners(auth)
    const { wrapper } = mountWith(auth, () => useAccessToken())
    expect(listeners()).toBe(1)
    wrapper.unmount()
    expect(listeners()).toBe(0)
  })
})
