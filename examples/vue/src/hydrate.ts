import { createSSRApp } from 'vue'
import { createAuthPlugin } from '@oauth-spa/vue'
import { auth } from './auth'
import { createAppRouter } from './router'
import App from './App.vue'
import '../../vanilla/src/style.css'

// The browser entry of a server-rendered page (src/ssr.ts): hydrates the server's HTML once the
// router has resolved the first route, as the server did.
const router = createAppRouter(auth)
const app = createSSRApp(App).use(createAuthPlugin(auth)).use(router)
void router.isReady().then(() => app.mount('#app'))
