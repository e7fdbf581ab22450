import { useCallback, useState } from 'react'
import { useAuth, useAuthClient } from '@oauth-spa/react'
import { apiUrl } from './auth'
import { Callback } from './Callback'
import { TokenInfo } from './TokenInfo'

/** Replaces the current history entry; no router library needed for two routes. */
function usePath() {
  const [path, setPath] = useState(() => location.pathname)
  const navigate = useCallback((to: string) => {
    history.replaceState(null, '', to)
    setPath(location.pathname)
  }, [])
  return [path, navigate] as const
}

export function App() {
  const [path, navigate] = usePath()
  return (
    <main>
      <h1>oauth-spa</h1>
      <Header />
      {path === '/callback' ? <Callback navigate={navigate} /> : <Home />}
    </main>
  )
}

function Header() {
  const auth = useAuth()
  // Failures are reported in the state (`auth.error`), shown below.
  const ignore = () => {}
  return (
    <header>
      <p>
        Status: <strong id="status">{auth.status}</strong>
      </p>
      {auth.status === 'authenticated' && (
        <p id="user">
          Signed in as <strong id="user-name">{String(auth.user.name ?? auth.user.sub)}</strong>
        </p>
      )}
      <p className="buttons">
        {auth.status === 'unauthenticated' && (
          <button id="login" onClick={() => auth.login({ returnTo: '/' }).catch(ignore)}>
            Log in
          </button>
        )}
        {auth.status === 'authenticated' && (
          <button id="logout" onClick={() => auth.logout({ returnTo: '/' }).catch(ignore)}>
            Log out
          </button>
        )}
      </p>
      {/* Rendered as text, never as HTML: error descriptions come from the server. */}
      {auth.error && (
        <p id="error" role="alert">
          {auth.error.name}: {auth.error.message}
        </p>
      )}
    </header>
  )
}

function Home() {
  const client = useAuthClient()
  const { status } = useAuth()
  const [answer, setAnswer] = useState('(none yet)')

  async function callApi() {
    try {
      // The token is added by the client, and only for the allowed origins.
      const res = await client.fetch(`${apiUrl}/api/user-profile`)
      setAnswer(`HTTP ${res.status}\n${await res.text()}`)
    } catch (err) {
      setAnswer(`${(err as Error).name}: ${(err as Error).message}`)
    }
  }

  return (
    <section>
      <TokenInfo />
      {status === 'authenticated' && (
        <p className="buttons">
          <button id="call-api" onClick={callApi}>
            Call the API
          </button>
        </p>
      )}
      <h2>API answer</h2>
      <pre id="api-result">{answer}</pre>
    </section>
  )
}
