import { flushPromises } from '@vue/test-utils'
import { nextTick, shallowRef } from 'vue'
import { LoginRequiredError } from '@oauth-spa/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useAccessToken, type UseAccessTokenOptions } from './useAccessToken.js'
import { createTestAuth, type TestAuth } from '../../../test-utils/bindings.js'
import { countListeners } from '../../../test-utils/bindings.js'
import { mountWith } from './test/mountWith.js'

let t: TestAuth
afterEach(() => t?.client.destroy())

const settled = async () => {
  await flushPromises()
  await nextTick()
}

describe('useAccessToken', () => {
  it('gives the core’s LoginRequiredError when logged out, without any request', async () => {
    t = createTestAuth({ server: false })
    const { value } = mountWith(t.client, () => useAccessToken())
    expect(value.loading.value).toBe(true)
    await t.client.ready
    await settled()
    expect(value.loading.value).toBe(false)
    expect(value.token.value).toBeUndefined()
    expect(value.error.value).toBeInstanceOf(LoginRequiredError)
    expect(t.fetch).not.toHaveBeenCalled()
  })

  it('gives the token when logged in, and asks again when the session changes', async () => {
    t = createTestAuth()
    await t.signIn()
    const { value, wrapper } = mountWith(
      t.client,
      () => useAccessToken(),
      ({ token }) => token.value ?? '-',
    )
    await settled()
    expect(wrapper.text()).toBe('at-1')
    expect(value.error.value).toBeNull()

    await t.client.getAccessToken({ forceRefresh: true })
    await settled()
    expect(wrapper.text()).toBe('at-2')

    await t.client.logout({ localOnly: true })
    await settled()
    expect(wrapper.text()).toBe('-')
    expect(value.error.value).toBeInstanceOf(LoginRequiredError)
  })

  it('follows reactive options and ignores answers for earlier ones', async () => {
    t = createTestAuth()
    await t.signIn()
    const answers = new Map<string, (body: object) => void>()
    t.token.mockImplementation(
      (params) => new Promise((resolve) => answers.set(params.get('resource')!, resolve)),
    )
    const body = (access_token: string) => ({ access_token, token_type: 'Bearer', expires_in: 60 })
    const options = shallowRef<UseAccessTokenOptions>({ resource: 'https://a.example' })
    const { value } = mountWith(t.client, () => useAccessToken(options))
    await vi.waitFor(() => expect(answers.has('https://a.example')).toBe(true))
    options.value = { resource: 'https://b.example' }
    await vi.waitFor(() => expect(answers.has('https://b.example')).toBe(true))

    answers.get('https://b.example')!(body('at-b'))
    await vi.waitFor(() => expect(value.token.value).toBe('at-b'))
    answers.get('https://a.example')!(body('at-a'))
    await t.client.getAccessToken({ resource: 'https://a.example' })
    await settled()
    expect(value.token.value).toBe('at-b')
  })

  it('stops listening when the component unmounts', () => {
    t = createTestAuth({ server: false })
    const listeners = countListeners(t.client)
    const { wrapper } = mountWith(t.client, () => useAccessToken())
    expect(listeners()).toBe(1)
    wrapper.unmount()
    expect(listeners()).toBe(0)
  })
})
