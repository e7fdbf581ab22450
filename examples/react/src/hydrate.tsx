import { StrictMode } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { AuthProvider } from '@oauth-spa/react'
import { auth } from './auth'
import { App } from './App'
import '../../vanilla/src/style.css'

// The browser entry of a server-rendered page (src/ssr.tsx): takes over the server's HTML.
hydrateRoot(
  document.getElementById('root')!,
  <StrictMode>
    <AuthProvider client={auth}>
      <App />
    </AuthProvider>
  </StrictMode>,
)
