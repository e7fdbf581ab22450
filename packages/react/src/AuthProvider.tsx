import { createContext, useContext, type ReactNode } from 'react'
import type { AuthClient } from '@oauth-spa/core'

const AuthContext = createContext<AuthClient | null>(null)

export interface AuthProviderProps {
  /** The client from `createAuthClient`. Create it once, outside any component. */
  client: AuthClient
  children?: ReactNode
}

/**
 * Makes `client` available to {@link useAuth}, {@link useAccessToken} and the other hooks below it.
 * It does not own the client: create it at module level, and `destroy()` it yourself if ever needed.
 *
 * @example
 * ```tsx
 * const auth = createAuthClient({ issuer, clientId, redirectUri: location.origin + '/callback' })
 * createRoot(el).render(<AuthProvider client={auth}><App /></AuthProvider>)
 * ```
 */
export function AuthProvider({ client, children }: AuthProviderProps) {
  return <AuthContext.Provider value={client}>{children}</AuthContext.Provider>
}

/** The client given to the nearest {@link AuthProvider}; throws when there is none. */
export function useAuthClient(): AuthClient {
  const client = useContext(AuthContext)
  if (!client) {
    throw new Error(
      'useAuthClient() found no client: wrap your app in <AuthProvider client={createAuthClient(...)}> (from @oauth-spa/react).',
    )
  }
  return client
}
