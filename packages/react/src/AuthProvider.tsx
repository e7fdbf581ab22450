import { createContext, useContext, type ReactNode } from 'react'
import type { AuthClient, AuthState } from '@oauth-spa/core'

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

const serverStates = new WeakMap<AuthClient, AuthState>()

/**
 * What the server rendered: a client on the server is always `loading`. React hydrates with it
 * (then renders the client's own state), so a session read before hydration is no mismatch.
 */
export const serverState = (client: AuthClient) => (): AuthState => {
  let state = serverStates.get(client)
  if (!state) {
    const { storage } = client.getState()
    state = { status: 'loading', user: null, expiresAt: null, error: null, storage }
    serverStates.set(client, state)
  }
  return state
}
