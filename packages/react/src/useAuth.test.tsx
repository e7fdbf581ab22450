import { StrictMode } from 'react'
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest'
import { AuthProvider } from './AuthProvider.js'
import { useAuth, type UseAuthResult } from './useAuth.js'
import { createTestAuthClient, type TestAuthClient } from '@oauth-spa/core/testing'
import { createTestAuth, ISSUER, type TestAuth } from '../../../test-utils/bindings.js'
import { countListeners } from '../../../test-utils/bindings.js'

function Status() {
  const auth = useAuth()
  return (
    <div>
      <p data-testid="status">
        {auth.status === 'authenticated' ? `hello ${auth.user.name}` : auth.status}
      </p>
      <button onClick={() => auth.login({ returnTo: '/after' })}>log in</button>
      <button onClick={() => auth.logout({ localOnly: true })}>log out</button>
    </div>
  )
}

let t: TestAuth | undefined
afterEach(() => {
  t?.client.destroy()
  t = undefined
})

const renderStatus = (client: TestAuthClient | TestAuth['client']) =>
  render(
    <StrictMode>
      <AuthProvider client={client}>
        <Status />
      </AuthProvider>
    </StrictMode>,
  )

describe('useAuth', () => {
  it('renders each state the client reports', () => {
    const auth = createTestAuthClient({ loading: true })
    renderStatus(auth)
    expect(screen.getByTestId('status').textContent).toBe('loading')
    act(() => auth.signOut())
    expect(screen.getByTestId('status').textContent).toBe('unauthenticated')

    act(() => auth.signIn({ name: 'Ada' }))
    expect(screen.getByTestId('status').textContent).toBe('hello Ada')

    act(() => auth.signOut())
    expect(screen.getByTestId('status').textContent).toBe('unauthenticated')
  })

  it('logs in and out through the bound login and logout', async () => {
    const auth = createTestAuthClient({ user: { name: 'Ada' } })
    renderStatus(auth)
    expect(screen.getByTestId('status').textContent).toBe('hello Ada')
    fireEvent.click(screen.getByText('log out'))
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('unauthenticated'))
    expect(auth.calls.logout).toEqual([{ localOnly: true }])
    fireEvent.click(screen.getByText('log in'))
    expect(auth.calls.login).toEqual([{ returnTo: '/after' }])
  })

  it('login() with the real client sends the browser to the authorization server', async () => {
    t = createTestAuth()
    renderStatus(t.client)
    fireEvent.click(screen.getByText('log in'))
    await waitFor(() => expect(t!.navigate).toHaveBeenCalledTimes(1))
    const url = new URL(t.navigate.mock.calls[0]![0])
    expect(url.origin + url.pathname).toBe(`${ISSUER}/authorize`)
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
  })

  it('stops listening when unmounted', () => {
    const auth = createTestAuthClient()
    const listeners = countListeners(auth)
    const { unmount } = renderStatus(auth)
    expect(auth.subscribe).toHaveBeenCalled()
    expect(listeners()).toBeGreaterThan(0)
    unmount()
    expect(listeners()).toBe(0)
  })

  it('hands out the client’s snapshot unchanged while nothing changes', () => {
    const auth = createTestAuthClient()
    const seen: UseAuthResult[] = []
    function Probe() {
      seen.push(useAuth())
      return null
    }
    const { rerender } = render(
      <AuthProvider client={auth}>
        <Probe />
      </AuthProvider>,
    )
    rerender(
      <AuthProvider client={auth}>
        <Probe />
      </AuthProvider>,
    )
    expect(seen).toHaveLength(2)
    expect(seen[1]).toBe(seen[0])
    expect(seen[0]).toMatchObject(auth.getState())
  })

  it('narrows user on status (types)', () => {
    const check = (auth: UseAuthResult) => {
      if (auth.status === 'authenticated') {
        expectTypeOf(auth.user.sub).toEqualTypeOf<string>()
        expectTypeOf(auth.expiresAt).toEqualTypeOf<number>()
      } else {
        expectTypeOf(auth.user).toEqualTypeOf<null>()
      }
    }
    expect(check).toBeTypeOf('function')
  })
})
