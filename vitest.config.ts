import { defineConfig } from 'vitest/config'
import { fileURLToPath } from 'node:url'

const src = (pkg: string) =>
  fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url))
const alias = {
  '@oauth-spa/core': src('core'),
  '@oauth-spa/react': src('react'),
  '@oauth-spa/vue': src('vue'),
}

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'packages',
          include: ['packages/*/src/**/*.test.{ts,tsx}'],
          benchmark: { include: ['packages/*/src/**/*.bench.ts'] },
          environment: 'happy-dom',
          environmentOptions: { happyDOM: { url: 'http://localhost:5173/' } },
          globals: true,
        },
      },
      {
        test: {
          name: 'servers',
          include: ['examples/servers/**/*.test.mjs'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
})
