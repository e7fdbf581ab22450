import { StrictMode } from 'react'
import { act, fireEvent, render, screen } from '@testing-library/react'
import { createTestAuthClient, type TestAuthClient } from '@oauth-spa/core/testing'
import { BrowserRouter, Link, MemoryRouter, Route, Routes, useLocation } from 'react-router'
import { afterEach, describe, expect, it } from 'vitest'
import { AuthProvider } from './AuthProvider.js'
import { RequireAuth } from './RequireAuth.js'
import { useAuth } from './useAuth.js'

afterEach(() => history.replaceState(null, '', '/'))

const Notes = () => <p>secret notes</p>
const renderGuarded = (auth: TestAuthClient, props: Parameters<typeof RequireAuth>[0] = {}) =>
  render(
    <StrictMode>
      <AuthProvider client={auth}>
        <RequireAuth fallback={<p>signing in</p>} {...props}>
          <Notes />
        </RequireAuth>
      </AuthProvider>
    </StrictMode>,
  )

describe('RequireAuth', () => {
  it('renders the fallback while the session is read, and starts no login', () => {
    const auth = createTestAuthClient({ loading: true })
    renderGuarded(auth)
    expect(screen.getByText('signing in')).toBeTruthy()
    expect(auth.calls.login).toEqual([])
  })

  it('sends a logged-out visitor to login once (StrictMode too), back to this path, query and hash', () => {
    history.replaceState(null, '', '/notes?sort=new#top')
    const auth = createTestAuthClient({ loading: true })
    renderGuarded(auth, { loginOptions: { scope: 'notes:read' } })
    act(() => auth.signOut())
    expect(auth.calls.login).toEqual([{ scope: 'notes:read', returnTo: '/notes?sort=new#top' }])
    expect(screen.getByText('signing in')).toBeTruthy()
    expect(screen.queryByText('secret notes')).toBeNull()
  })

  it('renders the children for a logged-in user', () => {
    const auth = createTestAuthClient({ user: { name: 'Ada' } })
    renderGuarded(auth)
    expect(screen.getByText('secret notes')).toBeTruthy()
    expect(auth.calls.login).toEqual([])
  })

  it('asks again when the session ends on the page, but not again after a failed login', async () => {
    const auth = createTestAuthClient({ user: { name: 'Ada' } })
    function ShowError() {
      const { error } = useAuth()
      return <p>{error ? `failed: ${error.message}` : 'signing in'}</p>
    }
    renderGuarded(auth, { fallback: <ShowError /> })
    auth.failNext('login')
    await act(() => auth.logout())
    expect(screen.getByText(/^failed: login\(\) failed/)).toBeTruthy()
    expect(auth.calls.login).toHaveLength(1)
    act(() => auth.signIn())
    act(() => auth.signOut())
    expect(auth.calls.login).toHaveLength(2)
  })

  it('takes returnTo from a router that does not use the browser URL', () => {
    const auth = createTestAuthClient()
    function Guard() {
      const { pathname, search, hash } = useLocation()
      return (
        <RequireAuth returnTo={pathname + search + hash}>
          <Notes />
        </RequireAuth>
      )
    }
    render(
      <AuthProvider client={auth}>
        <MemoryRouter initialEntries={['/notes/7?edit=1']}>
          <Routes>
            <Route path="/notes/:id" element={<Guard />} />
          </Routes>
        </MemoryRouter>
      </AuthProvider>,
    )
    expect(auth.calls.login).toEqual([{ returnTo: '/notes/7?edit=1' }])
  })

  it('guards a React Router route: a click to it starts the login with its path', () => {
    const auth = createTestAuthClient()
    render(
      <AuthProvider client={auth}>
        <BrowserRouter>
          <Routes>
            <Route path="/" element={<Link to="/notes?tab=2">notes</Link>} />
            <Route
              path="/notes"
              element={
                <RequireAuth fallback={<p>signing in</p>}>
                  <Notes />
                </RequireAuth>
              }
            />
          </Routes>
        </BrowserRouter>
      </AuthProvider>,
    )
    expect(auth.calls.login).toEqual([])
    fireEvent.click(screen.getByText('notes'))
    expect(screen.getByText('signing in')).toBeTruthy()
    expect(auth.calls.login).toEqual([{ returnTo: '/notes?tab=2' }])
    act(() => auth.signIn())
    expect(screen.getByText('secret notes')).toBeTruthy()
  })
})
