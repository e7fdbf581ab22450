import { useState } from 'react'
import { BrowserRouter, NavLink, Route, Routes, StaticRouter } from 'react-router'
import { RequireAuth, useAuth, useAuthClient } from '@oauth-spa/react'
import { apiUrl } from './config'
import { Callback } from './Callback'
import { DeviceLogin } from './DeviceLogin'
import { TokenInfo } from './TokenInfo'

export interface AppProps {
  /** On a server (src/ssr.tsx): the requested path, rendered with a static router. */
  url?: string
}

export function App({ url }: AppProps) {
  const routes = (
    <main>
      <h1>oauth-spa</h1>
      <Header />
      <nav className="buttons">
        <NavLink id="nav-home" to="/">
          Home
        </NavLink>
        <NavLink id="nav-notes" to="/notes">
          Notes (login required)
        </NavLink>
      </nav>
      <Routes>
        <Route path="/callback" element={<Callback />} />
        <Route
          path="/notes"
          element={
            // Logged-out visitors go to the login page and come back here.
            <RequireAuth fallback={<p id="signing-in">Signing you in…</p>}>
              <Notes />
            </RequireAuth>
          }
        />
        <Route path="*" element={<Home />} />
      </Routes>
    </main>
  )
  return url === undefined ? (
    <BrowserRouter>{routes}</BrowserRouter>
  ) : (
    <StaticRouter location={url}>{routes}</StaticRouter>
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

/** Sends a request through `client.fetch` and shows the answer, pretty-printed when JSON. */
function useApi() {
  const client = useAuthClient()
  const [answer, setAnswer] = useState('(none yet)')
  async function call(path: string, init?: RequestInit) {
    try {
      // The token is added by the client, and only for the allowed origins.
      const res = await client.fetch(`${apiUrl}${path}`, init)
      const body = await res.text()
      let shown = body
      try {
        shown = JSON.stringify(JSON.parse(body), null, 2)
      } catch {
        // not JSON: show it as it came
      }
      setAnswer(`HTTP ${res.status}\n${shown}`)
    } catch (err) {
      setAnswer(`${(err as Error).name}: ${(err as Error).message}`)
    }
  }
  return [answer, call] as const
}

function Home() {
  const { status } = useAuth()
  const [answer, call] = useApi()
  return (
    <section>
      <TokenInfo />
      {status === 'authenticated' && (
        <p className="buttons">
          <button id="call-api" onClick={() => call('/api/user-profile')}>
            Call the API
          </button>
        </p>
      )}
      <DeviceLogin />
      <h2>API answer</h2>
      <pre id="api-result">{answer}</pre>
    </section>
  )
}

function Notes() {
  const [text, setText] = useState('')
  const [answer, call] = useApi()
  return (
    <section>
      <h2 id="notes-title">Notes</h2>
      <p className="buttons">
        <input
          id="note-text"
          aria-label="Note"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button
          id="create-note"
          onClick={() =>
            call('/api/notes', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ text: text || `Hello at ${new Date().toISOString()}` }),
            })
          }
        >
          Create a note
        </button>
      </p>
      <h2>API answer</h2>
      <pre id="api-result">{answer}</pre>
    </section>
  )
}
