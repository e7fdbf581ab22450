import { createSSRApp } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { createMemoryHistory } from 'vue-router'
import { createAuthPlugin } from '@oauth-spa/vue'
import { auth } from './auth'
import { createAppRouter } from './router'
import App from './App.vue'

/**
 * Server rendering (used by e2e/ssr.spec.ts): the same app as src/hydrate.ts, with the same
 * module-level client and a memory history. On the server the client starts nothing and the
 * guard lets every route through: the HTML shows the loading state, and the browser takes over
 * when it hydrates.
 */
export async function render(url: string): Promise<string> {
  const router = createAppRouter(auth, createMemoryHistory())
  const app = createSSRApp(App).use(createAuthPlugin(auth)).use(router)
  await router.push(url)
  await router.isReady()
  return renderToString(app)
}
