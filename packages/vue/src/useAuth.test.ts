import { flushPromises, mount } from '@vue/test-utils'
import { defineComponent, effectScope, isRef, nextTick } from 'vue'
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest'
import { useAuthClient } from './createAuthPlugin.js'
import { useAuth, type UseAuthResult } from './useAuth.js'
import { createTestAuthClient } from '@oauth-spa/core/testing'
import { createTestAuth, ISSUER, type TestAuth } from '../../../test-utils/bindings.js'
import { countListeners } from '../../../test-utils/bindings.js'
import { mountWith } from './test/mountWith.js'

let t: TestAuth | undefined
afterEach(() => {
  t?.client.destroy()
  t = undefined
})

const label = ({ state }: UseAuthResult) =>
  state.value.status === 'authenticated' ? `hello ${state.value.user.name}` : state.value.status

describe('createAuthPlugin / useAuthClient', () => {
  it('provides the client to components', () => {
    const auth = createTestAuthClient()
    expect(mountWith(auth, useAuthClient).value).toBe(auth)
  })

  it('throws an error naming the plugin when it is missing', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const Orphan = defineComponent({
      setup() {
        useAuthClient()
        return () => null
      },
    })
    expect(() => mount(Orphan)).toThrow(/createAuthPlugin/)
    expect(() => useAuthClient()).toThrow(/inside setup\(\)/)
    warn.mockRestore()
  })
})

describe('useAuth', () => {
  it('renders each state the client reports', async () => {
    const auth = createTestAuthClient({ loading: true })
    const { wrapper } = mountWith(auth, useAuth, label)
    expect(wrapper.text()).toBe('loading')
    auth.signOut()
    await nextTick()
    expect(wrapper.text()).toBe('unauthenticated')

    auth.signIn({ name: 'Ada' })
    await nextTick()
    expect(wrapper.text()).toBe('hello Ada')

    auth.signOut()
    await nextTick()
    expect(wrapper.text()).toBe('unauthenticated')
  })

  it('holds the client snapshot itself, read-only', () => {
    const auth = createTestAuthClient()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { value } = mountWith(auth, useAuth)
    expect(isRef(value.state)).toBe(true)
    expect(value.state.value).toBe(auth.getState())
    ;(value.state as { value: unknown }).value = null
    expect(value.state.value).toBe(auth.getState())
    warn.mockRestore()
  })

  it('login() with the real client sends the browser to the authorization server', async () => {
    const real = (t = createTestAuth())
    const { value } = mountWith(real.client, useAuth)
    await value.login()
    expect(real.navigate).toHaveBeenCalledTimes(1)
    expect(real.navigate.mock.calls[0]![0]).toMatch(`${ISSUER}/authorize?`)
  })

  it('login() and logout() are the client’s', async () => {
    const auth = createTestAuthClient({ user: { name: 'Ada' } })
    const { value, wrapper } = mountWith(auth, useAuth, label)
    expect(wrapper.text()).toBe('hello Ada')
    await value.logout({ localOnly: true })
    await flushPromises()
    expect(wrapper.text()).toBe('unauthenticated')
    await value.login({ returnTo: '/x' })
    expect(auth.calls).toMatchObject({ logout: [{ localOnly: true }], login: [{ returnTo: '/x' }] })
  })

  it('stops listening when the component unmounts', () => {
    const auth = createTestAuthClient()
    const listeners = countListeners(auth)
    const { wrapper } = mountWith(auth, useAuth)
    expect(listeners()).toBe(1)
    wrapper.unmount()
    expect(listeners()).toBe(0)
  })

  it('stops listening when its effect scope is disposed', () => {
    const auth = createTestAuthClient()
    const listeners = countListeners(auth)
    const scope = effectScope()
    scope.run(() => useAuth(auth))
    expect(listeners()).toBe(1)
    scope.stop()
    expect(listeners()).toBe(0)
  })

  it('narrows user on status (types)', () => {
    const check = ({ state }: UseAuthResult) => {
      if (state.value.status === 'authenticated') {
        expectTypeOf(state.value.user.sub).toEqualTypeOf<string>()
        expectTypeOf(state.value.expiresAt).toEqualTypeOf<number>()
      } else {
        expectTypeOf(state.value.user).toEqualTypeOf<null>()
      }
    }
    expect(check).toBeTypeOf('function')
  })
})
