import { defineConfig } from 'vitest/config'
import { fileURLToPath } from 'node:url'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const src = (pkg: string) => here(`./packages/${pkg}/src/index.ts`)
// More specific first: `@oauth-spa/core` would otherwise also match `@oauth-spa/core/testing`.
const alias = {
  '@oauth-spa/core/testing': here('./packages/core/src/testing.ts'),
  '@oauth-spa/core': src('core'),
  '@oauth-spa/react': src('react'),
  '@oauth-spa/vue': src('vue'),
}
const browser = {
  environment: 'happy-dom',
  environmentOptions: { happyDOM: { url: 'http://localhost:5173/' } },
  globals: true,
} as const
const reactBindings = 'packages/react/src/**/*.test.tsx'

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'packages',
          include: ['packages/*/src/**/*.test.{ts,tsx}'],
          benchmark: { include: ['packages/*/src/**/*.bench.ts'] },
          env: { REACT_MAJOR: '19' },
          ...browser,
        },
      },
      {
        // The React bindings' tests again, against React 18 (the peer range is >=18).
        resolve: {
          alias: {
            ...alias,
            react: here('./packages/react/node_modules/react-18'),
            'react-dom': here('./packages/react/node_modules/react-dom-18'),
          },
        },
        test: {
          name: 'react-18',
          include: [reactBindings],
          setupFiles: ['packages/react/src/test/react-18.ts'],
          // ESM packages that import React are run through Vite, so the aliases above apply.
          server: { deps: { inline: ['react-router'] } },
          env: { REACT_MAJOR: '18' },
          ...browser,
        },
      },
      {
        // Each example's component tests, written with the test double. The Vue example's Vite
        // config brings @vitejs/plugin-vue (installed there) for its single-file components.
        extends: './examples/vue/vite.config.ts',
        resolve: { alias },
        test: {
          name: 'examples',
          include: ['examples/{react,vue}/src/**/*.test.{ts,tsx}'],
          ...browser,
          environmentOptions: { happyDOM: { url: 'http://localhost:5175/' } },
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
