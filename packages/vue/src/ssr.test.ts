// @vitest-environment node
import { createSSRApp, defineComponent, h } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { createMemoryHistory, createRouter, RouterView } from 'vue-router'
import { createTestAuthClient } from '@oauth-spa/core/testing'
import { describe, expect, it, vi } from 'vitest'
import { trapBrowserGlobals } from '../../../test-utils/server-globals.js'
import { createAuthClient } from '@oauth-spa/core'
import { countListeners } from '../../../test-utils/bindings.js'
import {
  createAuthGuard,
  createAuthPlugin,
  useAccessToken,
  useAuth,
  useAuthCallback,
} from './index.js'

trapBrowserGlobals()

const Notes = defineComponent({
  setup() {
    const auth = useAuth()
    const { status } = useAccessToken()
    const { isCallback } = useAuthCallback()
    return () =>
      h('main', [
        h('p', { id: 'status' }, auth.status.value),
        h('p', { id: 'token' }, `token ${status.value}`),
        h('p', { id: 'callback' }, String(isCallback.value)),
      ])
  },
})

describe('server rendering', () => {
  it('renders the loading state without touching a browser global or leaving listeners', async () => {
    expect(typeof window).toBe('undefined')
    expect(() => BroadcastChannel).toThrow(/touched/)
    // The real client, created as apps do at module level: on a server it starts nothing.
    const setTimeout = vi.fn()
    const fetch = vi.fn()
    const client = createAuthClient({
      issuer: 'https://as.example',
      clientId: 'ssr',
      redirectUri: 'https://app.example/callback',
      setTimeout,
      fetch,
    })
    const double = createTestAuthClient({ loading: true })
    const listeners = countListeners(double)
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [{ path: '/notes', component: Notes, meta: { requiresAuth: true } }],
    })
    router.beforeEach(createAuthGuard(client))
    const app = createSSRApp({ render: () => h(RouterView) })
      .use(createAuthPlugin(client))
      .use(router)
    await router.push('/notes')
    await router.isReady()
    const html = await renderToString(app)
    expect(html).toContain('<p id="status">loading</p>')
    expect(html).toContain('token idle')
    expect(html).toContain('<p id="callback">undefined</p>')
    expect(setTimeout).not.toHaveBeenCalled()
    expect(fetch).not.toHaveBeenCalled()
    client.destroy()
    // The same app over the test double: nothing subscribes on the server, so nothing leaks.
    const app2 = createSSRApp({ render: () => h(Notes) }).use(createAuthPlugin(double))
    expect(await renderToString(app2)).toContain('token idle')
    expect(double.calls.getAccessToken).toEqual([])
    expect(listeners()).toBe(0) // nothing unmounts on the server: no listener may stay behind
  })
})
