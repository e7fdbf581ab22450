import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { AuthProvider } from '@oauth-spa/react'
import { auth } from './auth'
import { App } from './App'
// One stylesheet for both examples.
import '../../vanilla/src/style.css'

// StrictMode runs effects twice in development: the callback must still be exchanged once.
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AuthProvider client={auth}>
      <App />
    </AuthProvider>
  </StrictMode>,
)
