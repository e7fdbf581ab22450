import { flushPromises, mount } from '@vue/test-utils'
import { defineComponent, h } from 'vue'
import { createMemoryHistory, createRouter, RouterView, type RouteRecordRaw } from 'vue-router'
import { AuthError } from '@oauth-spa/core'
import { createTestAuthClient, type TestAuthClient } from '@oauth-spa/core/testing'
import { describe, expect, it } from 'vitest'
import { createAuthGuard } from './createAuthGuard.js'

const page = (text: string) => defineComponent({ render: () => h('p', text) })
const routes: RouteRecordRaw[] = [
  { path: '/', component: page('home') },
  { path: '/notes/:id', component: page('notes'), meta: { requiresAuth: true } },
  {
    path: '/admin',
    meta: { requiresAuth: true },
    children: [{ path: 'users', component: page('users') }],
  },
]

async function setup(auth: TestAuthClient, start = '/', options = {}) {
  const router = createRouter({ history: createMemoryHistory(), routes })
  router.beforeEach(createAuthGuard(auth, options))
  const wrapper = mount(RouterView, { global: { plugins: [router] } })
  await router.push(start)
  await flushPromises()
  return { router, wrapper }
}

describe('createAuthGuard', () => {
  it('lets anyone through to routes without meta.requiresAuth', async () => {
    const auth = createTestAuthClient()
    const { wrapper } = await setup(auth)
    expect(wrapper.text()).toBe('home')
    expect(auth.calls.login).toEqual([])
  })

  it('sends a logged-out visitor to login with the target fullPath, and stays put', async () => {
    const auth = createTestAuthClient()
    const { router, wrapper } = await setup(auth, '/', { loginOptions: { scope: 'notes' } })
    await router.push('/notes/7?edit=1#top')
    expect(auth.calls.login).toEqual([{ scope: 'notes', returnTo: '/notes/7?edit=1#top' }])
    expect(router.currentRoute.value.fullPath).toBe('/')
    expect(wrapper.text()).toBe('home')
  })

  it('reads requiresAuth from a parent route too', async () => {
    const auth = createTestAuthClient()
    const { router } = await setup(auth)
    await router.push('/admin/users')
    expect(auth.calls.login).toEqual([{ returnTo: '/admin/users' }])
  })

  it('lets a logged-in user through', async () => {
    const auth = createTestAuthClient({ user: { name: 'Ada' } })
    const { wrapper } = await setup(auth, '/notes/1')
    expect(wrapper.text()).toBe('notes')
    expect(auth.calls.login).toEqual([])
  })

  it('waits for the session to be read before deciding', async () => {
    const auth = createTestAuthClient({ loading: true })
    const router = createRouter({ history: createMemoryHistory(), routes })
    router.beforeEach(createAuthGuard(auth))
    const navigation = router.push('/notes/1')
    await flushPromises()
    expect(auth.calls.login).toEqual([])
    auth.signIn({ name: 'Ada' })
    await navigation
    expect(router.currentRoute.value.fullPath).toBe('/notes/1')
  })

  it('goes on after a popup login, and stays put after a failed one', async () => {
    const auth = createTestAuthClient()
    const login = auth.login
    auth.login = async (options) => {
      const result = await login(options)
      auth.signIn()
      return result
    }
    const { router } = await setup(auth, '/', { loginOptions: { popup: true } })
    await router.push('/notes/2')
    expect(router.currentRoute.value.fullPath).toBe('/notes/2')

    const other = createTestAuthClient()
    other.failNext('login', new AuthError('discovery failed'))
    const second = await setup(other)
    await second.router.push('/notes/3')
    expect(second.router.currentRoute.value.fullPath).toBe('/')
    expect(other.getState().error?.message).toBe('discovery failed')
  })
})
