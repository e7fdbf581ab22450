import { createRouter, createWebHistory, type RouterHistory } from 'vue-router'
import type { AuthClient } from '@oauth-spa/core'
import { createAuthGuard } from '@oauth-spa/vue'
import Home from './views/Home.vue'
import Notes from './views/Notes.vue'
import Callback from './views/Callback.vue'

/** The app's routes; `/notes` needs a login, which the guard starts with `/notes` as `returnTo`. */
export function createAppRouter(auth: AuthClient, history: RouterHistory = createWebHistory()) {
  const router = createRouter({
    history,
    routes: [
      { path: '/', component: Home },
      { path: '/notes', component: Notes, meta: { requiresAuth: true } },
      { path: '/callback', component: Callback },
      { path: '/:rest(.*)*', redirect: '/' },
    ],
  })
  router.beforeEach(createAuthGuard(auth))
  return router
}
