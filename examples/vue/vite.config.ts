import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath } from 'node:url'

const src = (pkg: string) =>
  fileURLToPath(new URL(`../../packages/${pkg}/src/index.ts`, import.meta.url))

// The example runs against the SDK's and the bindings' source: no build step between an edit and
// a reload. Exact matches, so that `@oauth-spa/core/testing` resolves on its own.
export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: [
      { find: /^@oauth-spa\/core$/, replacement: src('core') },
      { find: /^@oauth-spa\/vue$/, replacement: src('vue') },
    ],
    // The bindings' source and this app must share one Vue.
    dedupe: ['vue', 'vue-router'],
  },
  server: {
    port: Number(process.env.APP_PORT ?? 5176),
    strictPort: true,
    host: 'localhost',
  },
})
