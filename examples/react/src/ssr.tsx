import { StrictMode } from 'react'
import { renderToString } from 'react-dom/server'
import { AuthProvider } from '@oauth-spa/react'
import { auth } from './auth'
import { App } from './App'

/**
 * Server rendering (used by e2e/ssr.spec.ts): the same tree as src/hydrate.tsx, with the same
 * module-level client. On the server it starts nothing: the HTML shows the loading state, and the
 * browser takes over when it hydrates.
 */
export function render(url: string): string {
  return renderToString(
    <StrictMode>
      <AuthProvider client={auth}>
        <App url={url} />
      </AuthProvider>
    </StrictMode>,
  )
}
