import { flushPromises, mount } from '@vue/test-utils'
import { defineComponent, effectScope, isReadonly, isRef, nextTick } from 'vue'
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest'
import { useAuthClient } from './createAuthPlugin.js'
import { useAuth, type UseAuthResult } from './useAuth.js'
import type { AuthState, User } from '@oauth-spa/core'
import { createTestAuthClient } from '@oauth-spa/core/testing'
import { createTestAuth, ISSUER, type TestAuth } from '../../../test-utils/bindings.js'
import { countListeners } from '../../../test-utils/bindings.js'
import { mountWith } from './test/mountWith.js'

let t: TestAuth | undefined
afterEach(() => {
  t?.client.destroy()
  t = undefined
})

const label = ({ status, user }: UseAuthResult) =>
  status.value === 'authenticated' ? `hello ${user.value?.name}` : status.value

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

  it('gives each field of the state as a read-only ref, as React names them', async () => {
    const auth = createTestAuthClient({ loading: true })
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { value } = mountWith(auth, useAuth)
    const { status, user, expiresAt, error, storage } = value
    for (const field of [status, user, expiresAt, error, storage]) {
      expect(isRef(field) && isReadonly(field)).toBe(true)
    }
    expect([status.value, user.value, expiresAt.value, error.value]).toEqual([
      'loading',
      null,
      null,
      null,
    ])
    expect(storage.value).toBe(auth.getState().storage)
    ;(status as { value: unknown }).value = 'authenticated'
    expect(status.value).toBe('loading')

    auth.signIn({ name: 'Ada' })
    await nextTick()
    expect(status.value).toBe('authenticated')
    expect(user.value).toBe(auth.getState().user)
    expect(user.value?.name).toBe('Ada')
    expect(expiresAt.value).toBe(auth.getState().expiresAt)
    expect(expiresAt.value).toBeTypeOf('number')
    warn.mockRestore()
  })

  it('a component reading one field re-renders only when that field changes', async () => {
    const auth = createTestAuthClient({ user: { name: 'Ada' } })
    let renders = 0
    const { value, wrapper } = mountWith(
      auth,
      useAuth,
      ({ status }) => `${++renders} ${status.value}`,
    )
    const before = value.expiresAt.value
    auth.setToken('at-2', { expiresIn: 60 })
    await nextTick()
    expect(value.expiresAt.value).not.toBe(before)
    expect(wrapper.text()).toBe('1 authenticated')
    auth.signOut()
    await nextTick()
    expect(wrapper.text()).toBe('2 unauthenticated')
  })

  it('still gives the whole snapshot as `state`, read-only', () => {
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

  it('types each field as the union of its values; `state` narrows on status (types)', () => {
    const fields = ({ user, expiresAt, status }: UseAuthResult) => {
      expectTypeOf(user.value).toEqualTypeOf<User | null>()
      expectTypeOf(expiresAt.value).toEqualTypeOf<number | null>()
      expectTypeOf(status.value).toEqualTypeOf<AuthState['status']>()
    }
    expect(fields).toBeTypeOf('function')
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
