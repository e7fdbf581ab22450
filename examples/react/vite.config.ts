import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import { fileURLToPath } from 'node:url'

const src = (pkg: string) =>
  fileURLToPath(new URL(`../../packages/${pkg}/src/index.ts`, import.meta.url))

// The example runs against the SDK's and the bindings' source: no build step between an edit and
// a reload.
export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: {
      '@oauth-spa/core': src('core'),
      '@oauth-spa/react': src('react'),
    },
    // The bindings' source and this app must share one React.
    dedupe: ['react', 'react-dom'],
  },
  server: {
    port: Number(process.env.APP_PORT ?? 5175),
    strictPort: true,
    host: 'localhost',
  },
})
