import { createAuthClient, type AuthClient } from '@oauth-spa/core'
import { apiUrl, issuer } from './config'

// On a server (src/ssr.tsx renders the app there first) there is no `location`: the client is
// created there too, starts nothing and never sends the redirect URI, so any absolute URL does.
const origin = typeof location === 'undefined' ? 'http://localhost' : location.origin

// Created once, at module level: the provider hands it out, it does not own it.
export const auth = createAuthClient({
  issuer,
  clientId: 'demo-spa',
  redirectUri: `${origin}/callback`,
  scope: 'openid profile email offline_access read write',
  resource: apiUrl,
  allowedOrigins: [apiUrl],
  autoRefresh: import.meta.env.VITE_AUTO_REFRESH !== '0',
})

// Exposed for the e2e tests and for poking around in devtools.
declare global {
  interface Window {
    auth: AuthClient
  }
}
if (typeof window !== 'undefined') window.auth = auth
