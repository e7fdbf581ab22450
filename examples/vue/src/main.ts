import { createApp } from 'vue'
import { createAuthPlugin } from '@oauth-spa/vue'
import { auth } from './auth'
import { createAppRouter } from './router'
import App from './App.vue'
// One stylesheet for every example.
import '../../vanilla/src/style.css'

createApp(App).use(createAuthPlugin(auth)).use(createAppRouter(auth)).mount('#app')
