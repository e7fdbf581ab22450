import { flushPromises, mount } from '@vue/test-utils'
import { defineComponent, effectScope, isRef, nextTick } from 'vue'
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest'
import { useAuthClient } from './createAuthPlugin.js'
import { useAuth, type UseAuthResult } from './useAuth.js'
import { createTestAuth, ISSUER, type TestAuth } from '../../../test-utils/bindings.js'
import { countListeners } from '../../../test-utils/bindings.js'
import { mountWith } from './test/mountWith.js'

let t: TestAuth
afterEach(() => t?.client.destroy())

const label = ({ state }: UseAuthResult) =>
  state.value.status === 'authenticated' ? `hello ${state.value.user.name}` : state.value.status

describe('createAuthPlugin / useAuthClient', () => {
  it('provides the client to components', () => {
    t = createTestAuth({ server: false })
    expect(mountWith(t.client, useAuthClient).value).toBe(t.client)
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
  it('renders each state the core reports', async () => {
    t = createTestAuth()
    const { wrapper } = mountWith(t.client, useAuth, label)
    expect(wrapper.text()).toBe('loading')
    await t.client.ready
    await nextTick()
    expect(wrapper.text()).toBe('unauthenticated')

    await t.signIn()
    await nextTick()
    expect(wrapper.text()).toBe('hello Ada')

    await t.client.logout({ localOnly: true })
    await nextTick()
    expect(wrapper.text()).toBe('unauthenticated')
  })

  it('holds the core snapshot itself, read-only', async () => {
    t = createTestAuth({ server: false })
    await t.client.ready
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { value } = mountWith(t.client, useAuth)
    expect(isRef(value.state)).toBe(true)
    expect(value.state.value).toBe(t.client.getState())
    ;(value.state as { value: unknown }).value = null
    expect(value.state.value).toBe(t.client.getState())
    warn.mockRestore()
  })

  it('login() sends the browser to the authorization server through navigate', async () => {
    t = createTestAuth()
    const { value } = mountWith(t.client, useAuth)
    await value.login()
    expect(t.navigate).toHaveBeenCalledTimes(1)
    expect(t.navigate.mock.calls[0]![0]).toMatch(`${ISSUER}/authorize?`)
  })

  it('logout() ends the session', async () => {
    t = createTestAuth()
    await t.signIn()
    const { value, wrapper } = mountWith(t.client, useAuth, label)
    expect(wrapper.text()).toBe('hello Ada')
    await value.logout({ localOnly: true })
    await flushPromises()
    expect(wrapper.text()).toBe('unauthenticated')
  })

  it('stops listening when the component unmounts', () => {
    t = createTestAuth({ server: false })
    const listeners = countListeners(t.client)
    const { wrapper } = mountWith(t.client, useAuth)
    expect(listeners()).toBe(1)
    wrapper.unmount()
    expect(listeners()).toBe(0)
  })

  it('stops listening when its effect scope is disposed', () => {
    t = createTestAuth({ server: false })
    const listeners = countListeners(t.client)
    const scope = effectScope()
    scope.run(() => useAuth(t.client))
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
