import { defineConfig } from 'vite'
import { fileURLToPath } from 'node:url'

// The example runs against the SDK's source: no build step between an edit and a reload.
export default defineConfig({
  resolve: {
    alias: {
      '@oauth-spa/core': fileURLToPath(
        new URL('../../packages/core/src/index.ts', import.meta.url),
      ),
    },
  },
  server: {
    port: Number(process.env.APP_PORT ?? 5173),
    strictPort: true,
    host: 'localhost',
  },
})
